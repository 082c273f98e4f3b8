import { addProjectConfiguration, readJson, readProjectConfiguration, Tree } from '@nx/devkit';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { chartValuesGenerator } from '../chart-values/generator';
import { copyFromWorkspace, createWorkspaceTree } from '../../testing/workspace-tree';
import { serverGenerator } from './generator';

const APP = 'apps/billing-mcp';

/** An empty workspace with the real charts/mcp-server and charts/project.json, and a bare mcp-server project. */
function workspace(): Tree {
  const tree = createWorkspaceTree();
  copyFromWorkspace(tree, 'charts/mcp-server', 'charts/project.json');
  addProjectConfiguration(tree, 'mcp-server', { root: 'apps/mcp-server', projectType: 'application', tags: ['type:app'], targets: {} });
  return tree;
}

/** Every generated file under a folder, with its text. */
function generated(tree: Tree, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    if (tree.isFile(path)) out[path] = tree.read(path, 'utf-8') ?? '';
    else tree.children(path).forEach((child) => walk(`${path}/${child}`));
  };
  walk(dir);
  return out;
}

describe('server generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = workspace();
  });

  it('adds the project with type:app and scope tags, and serve, prune and container targets', async () => {
    await serverGenerator(tree, { name: 'billing-mcp' });
    const project = readProjectConfiguration(tree, 'billing-mcp');
    expect(project).toMatchObject({ root: APP, sourceRoot: `${APP}/src`, projectType: 'application', tags: ['type:app', 'scope:billing-mcp'] });
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['container', 'copy-workspace-modules', 'prune', 'prune-lockfile', 'serve', 'test']);
    expect(project.targets?.['serve']?.options).toEqual({ buildTarget: 'billing-mcp:build', runBuildTargetDependencies: false });
  });

  it('writes the minimum wiring (config, auth, registry, health, backend client) and takes logging, metrics and shutdown from service-runtime', async () => {
    await serverGenerator(tree, { name: 'billing-mcp' });
    const files = Object.keys(generated(tree, APP)).map((path) => path.slice(APP.length + 1)).sort();
    expect(files).toEqual([
      'Dockerfile',
      'eslint.config.mjs',
      'jest.config.cts',
      'project.json',
      'src/app/app.module.ts',
      'src/app/backend/backend-api.client.ts',
      'src/app/config/server-config.provider.ts',
      'src/app/config/server-config.spec.ts',
      'src/app/config/server-config.ts',
      'src/app/health/health.controller.ts',
      'src/app/tools/example-search/example-search.input.ts',
      'src/app/tools/example-search/example-search.tool.spec.ts',
      'src/app/tools/example-search/example-search.tool.ts',
      'src/app/tools/tools.module.ts',
      'src/bootstrap.spec.ts',
      'src/bootstrap.ts',
      'src/main.ts',
      'tsconfig.app.json',
      'tsconfig.json',
      'tsconfig.spec.json',
      'webpack.config.js',
    ]);
    const text = generated(tree, APP);
    expect(text[`${APP}/src/bootstrap.ts`]).toContain("from '@mcp-platform/service-runtime'");
    expect(text[`${APP}/src/app/app.module.ts`]).toContain("from '@mcp-platform/service-runtime'");
    expect(text[`${APP}/src/app/config/server-config.ts`]).toContain('export class ServerConfig extends ServiceConfig');
  });

  it('names everything after the app and nothing after mcp-server', async () => {
    await serverGenerator(tree, { name: 'billing-mcp' });
    const files = generated(tree, APP);
    for (const [path, text] of Object.entries(files)) expect({ path, mentions: text.includes('mcp-server') }).toEqual({ path, mentions: false });
    expect(files[`${APP}/src/app/app.module.ts`]).toContain("export const SERVER_NAME = 'billing-mcp';");
    expect(files[`${APP}/src/bootstrap.ts`]).toContain('billing-mcp listening on port');
    expect(files[`${APP}/src/app/config/server-config.ts`]).toContain("parseList(value ?? 'api://billing-mcp')");
    expect(files[`${APP}/webpack.config.js`]).toContain("join(__dirname, '../../dist/apps/billing-mcp')");
    expect(files[`${APP}/jest.config.cts`]).toContain("displayName: 'billing-mcp'");
  });

  it('writes TypeScript without syntax errors', async () => {
    await serverGenerator(tree, { name: 'billing-mcp' });
    for (const [path, text] of Object.entries(generated(tree, APP)).filter(([path]) => path.endsWith('.ts'))) {
      const output = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { experimentalDecorators: true } });
      expect({ path, diagnostics: output.diagnostics?.length ?? 0 }).toEqual({ path, diagnostics: 0 });
    }
  });

  it('starts with an example tool, registered and listed by the smoke spec', async () => {
    await serverGenerator(tree, { name: 'billing-mcp', exampleTool: 'search-invoices' });
    const toolsModule = tree.read(`${APP}/src/app/tools/tools.module.ts`, 'utf-8') ?? '';
    expect(toolsModule).toContain("import { SearchInvoicesTool } from './search-invoices/search-invoices.tool';");
    expect(toolsModule).toMatch(/providers: \[BackendApiClient, SearchInvoicesTool\]/);
    expect(tree.read(`${APP}/src/bootstrap.spec.ts`, 'utf-8')).toContain("toContain('search_invoices')");
  });

  it('can start without the example tool', async () => {
    await serverGenerator(tree, { name: 'billing-mcp', skipExampleTool: true });
    expect(tree.children(`${APP}/src/app/tools`)).toEqual(['tools.module.ts']);
    expect(tree.read(`${APP}/src/bootstrap.spec.ts`, 'utf-8')).not.toContain("toContain('example_search')");
  });

  describe('chart', () => {
    it('is charts/mcp-server with the names replaced and a fresh version', async () => {
      await serverGenerator(tree, { name: 'billing-mcp' });
      const source = generated(tree, 'charts/mcp-server');
      const copy = generated(tree, 'charts/billing-mcp');
      expect(Object.keys(copy).sort()).toEqual(Object.keys(source).map((path) => path.replace('charts/mcp-server', 'charts/billing-mcp')).sort());
      for (const [path, text] of Object.entries(source)) {
        if (path.endsWith('Chart.yaml')) continue;
        const copied = copy[path.replace('charts/mcp-server', 'charts/billing-mcp')];
        expect(copied).not.toContain('mcp-server');
        expect(copied.split('billing-mcp').join('mcp-server')).toBe(text);
      }
      expect(parse(copy['charts/billing-mcp/Chart.yaml'])).toMatchObject({ name: 'billing-mcp', version: '0.1.0', appVersion: '0.1.0', kubeVersion: '>=1.28.0-0' });
      expect(parse(copy['charts/billing-mcp/values.yaml'])).toMatchObject({ image: { repository: 'billing-mcp' } });
    });

    it('is linted by the charts project from now on, which keeps its layout otherwise', async () => {
      const before = tree.read('charts/project.json', 'utf-8') ?? '';
      await serverGenerator(tree, { name: 'billing-mcp' });
      const after = tree.read('charts/project.json', 'utf-8') ?? '';
      const lint = readJson(tree, 'charts/project.json').targets.lint;
      expect(lint.options.commands).toContain('.tools/bin/helm lint --strict charts/mcp-server charts/mcp-client charts/billing-mcp');
      expect(lint.inputs).toContain('{projectRoot}/billing-mcp/**/*');
      const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
      expect(added).toEqual([
        '        "{projectRoot}/billing-mcp/**/*",',
        '          ".tools/bin/helm lint --strict charts/mcp-server charts/mcp-client charts/billing-mcp"',
      ]);
    });

    it('takes chart-values for an environment', async () => {
      await serverGenerator(tree, { name: 'billing-mcp' });
      await chartValuesGenerator(tree, {
        chart: 'billing-mcp',
        environment: 'prod',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        clientId: '0f4d6a2e-5b1c-4f3e-9a7d-8c2b1e6f4a90',
        registry: 'contosomcp',
        backendApiUrl: 'https://billing.contoso.com',
      });
      expect(parse(tree.read('charts/environments/prod/billing-mcp-values.yaml', 'utf-8') ?? '')).toMatchObject({
        image: { repository: 'contosomcp.azurecr.io/billing-mcp', tag: '0.1.0' },
        app: { backendApiUrl: 'https://billing.contoso.com' },
      });
    });
  });

  describe('image', () => {
    it("copies mcp-server's Dockerfile and container target when it has them", async () => {
      tree.write('apps/mcp-server/Dockerfile', 'FROM node:24\nCOPY dist/apps/mcp-server/ ./\nCMD ["node", "main.js"]\n');
      const project = readProjectConfiguration(tree, 'mcp-server');
      project.targets = { container: { executor: 'nx:run-commands', dependsOn: ['build'], options: { command: 'bash build-image.sh mcp-server' } } };
      tree.write('apps/mcp-server/project.json', JSON.stringify(project));
      await serverGenerator(tree, { name: 'billing-mcp' });
      expect(tree.read(`${APP}/Dockerfile`, 'utf-8')).toBe('FROM node:24\nCOPY dist/apps/billing-mcp/ ./\nCMD ["node", "main.js"]\n');
      expect(readProjectConfiguration(tree, 'billing-mcp').targets?.['container']).toEqual({
        executor: 'nx:run-commands',
        dependsOn: ['build'],
        options: { command: 'bash build-image.sh billing-mcp' },
      });
    });

    it('writes its own Dockerfile and a docker build target otherwise', async () => {
      await serverGenerator(tree, { name: 'billing-mcp' });
      const dockerfile = tree.read(`${APP}/Dockerfile`, 'utf-8') ?? '';
      expect(dockerfile).toContain('COPY dist/apps/billing-mcp/package.json dist/apps/billing-mcp/package-lock.json ./');
      expect(dockerfile).toContain('USER 10001:10001');
      expect(readProjectConfiguration(tree, 'billing-mcp').targets?.['container']?.options).toEqual({
        cwd: '{workspaceRoot}',
        command: 'docker build -f apps/billing-mcp/Dockerfile -t billing-mcp:dev .',
      });
    });

    it('lets the bundle into a .dockerignore that allows apps by name', async () => {
      tree.write('.dockerignore', '*\n!dist/apps/mcp-server/\n!dist/apps/mcp-client/\n\n**/*.map\n');
      await serverGenerator(tree, { name: 'billing-mcp' });
      expect(tree.read('.dockerignore', 'utf-8')).toBe('*\n!dist/apps/mcp-server/\n!dist/apps/mcp-client/\n!dist/apps/billing-mcp/\n\n**/*.map\n');
    });
  });

  describe('refuses', () => {
    it.each(['Billing_MCP', 'billing mcp', '-billing', 'b'.repeat(54)])('an invalid name (%s)', async (name) => {
      await expect(serverGenerator(tree, { name })).rejects.toThrow("--name must be lower-case letters, digits and '-'");
    });

    it('the name of an existing project', async () => {
      await expect(serverGenerator(tree, { name: 'mcp-server' })).rejects.toThrow('A project named "mcp-server" already exists.');
    });

    it('a name whose app or chart folder exists', async () => {
      tree.write('charts/billing-mcp/Chart.yaml', 'name: billing-mcp\n');
      await expect(serverGenerator(tree, { name: 'billing-mcp' })).rejects.toThrow('charts/billing-mcp already exists: choose another name.');
      expect(tree.exists(APP)).toBe(false);
    });

    it('a workspace without charts/mcp-server to copy', async () => {
      tree.delete('charts/mcp-server');
      await expect(serverGenerator(tree, { name: 'billing-mcp' })).rejects.toThrow('The new chart is a copy of charts/mcp-server, which is missing.');
    });

    it('an invalid example tool name, before writing anything', async () => {
      await expect(serverGenerator(tree, { name: 'billing-mcp', exampleTool: 'example tool!' })).rejects.toThrow('not a valid MCP tool name');
      expect(tree.exists(APP)).toBe(false);
    });
  });
});
