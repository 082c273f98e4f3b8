import { logger, Tree } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { copyFromWorkspace, createWorkspaceTree, WORKSPACE_ROOT } from '../../testing/workspace-tree';
import { chartValuesGenerator } from './generator';
import { ChartValuesGeneratorSchema } from './schema';

// The guide's Step 5/6 files with example GUIDs and registry, kept by the chart tests.
const GUIDE_FIXTURES = join(WORKSPACE_ROOT, 'charts/tests/fixtures');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f4d6a2e-5b1c-4f3e-9a7d-8c2b1e6f4a90';

/** An empty workspace plus the real charts' Chart.yaml, values.yaml and values.schema.json, read now. */
function workspaceWithCharts(): Tree {
  const tree = createWorkspaceTree();
  for (const chart of ['mcp-server', 'mcp-client']) {
    copyFromWorkspace(tree, ...['Chart.yaml', 'values.yaml', 'values.schema.json'].map((file) => `charts/${chart}/${file}`));
  }
  return tree;
}

function guideFile(name: string): unknown {
  return parse(readFileSync(join(GUIDE_FIXTURES, name), 'utf-8'));
}

const serverOptions: ChartValuesGeneratorSchema = {
  chart: 'mcp-server',
  environment: 'prod',
  tenantId: TENANT,
  clientId: CLIENT,
  registry: 'contosomcp',
  backendApiUrl: 'https://api.example.com',
};

describe('chart-values generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = workspaceWithCharts();
  });

  function written(path: string): unknown {
    const text = tree.read(path, 'utf-8');
    if (text === null) throw new Error(`${path} was not written`);
    return parse(text);
  }

  it("writes the guide's mcp-server-values.yaml, key for key and value for value", async () => {
    await chartValuesGenerator(tree, serverOptions);
    expect(written('charts/environments/prod/mcp-server-values.yaml')).toEqual(guideFile('mcp-server-values.yaml'));
  });

  it("writes the guide's mcp-client-values.yaml for the client chart", async () => {
    await chartValuesGenerator(tree, { chart: 'mcp-client', environment: 'staging', tenantId: TENANT, clientId: CLIENT, registry: 'contosomcp' });
    expect(written('charts/environments/staging/mcp-client-values.yaml')).toEqual(guideFile('mcp-client-values.yaml'));
  });

  it('quotes strings as the guide does, and says how to deploy the file', async () => {
    await chartValuesGenerator(tree, serverOptions);
    const text = tree.read('charts/environments/prod/mcp-server-values.yaml', 'utf-8') ?? '';
    expect(text).toContain(`  tenantId: "${TENANT}"\n`);
    expect(text).toContain('replicaCount: 2\n');
    expect(text).toContain('helm upgrade --install mcp-server charts/mcp-server --namespace mcp-system --values charts/environments/prod/mcp-server-values.yaml');
  });

  it("defaults the image tag to the chart's appVersion and the backend URL to the chart's default, saying so", async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await chartValuesGenerator(tree, { ...serverOptions, backendApiUrl: undefined });
    expect(warn).toHaveBeenCalledWith("--backendApiUrl not given: using the chart's default https://api.example.com.");
    warn.mockRestore();
    expect(written('charts/environments/prod/mcp-server-values.yaml')).toMatchObject({
      image: { tag: '1.0.0' },
      app: { backendApiUrl: 'https://api.example.com' },
    });
  });

  it.each([
    ['contosomcp', 'contosomcp.azurecr.io/mcp-server'],
    ['ContosoMCP', 'contosomcp.azurecr.io/mcp-server'],
    ['contosomcp.azurecr.io', 'contosomcp.azurecr.io/mcp-server'],
    ['registry.gitlab.com/contoso/platform/', 'registry.gitlab.com/contoso/platform/mcp-server'],
    ['localhost:5000', 'localhost:5000/mcp-server'],
  ])('turns --registry %s into the image repository %s', async (registry, repository) => {
    await chartValuesGenerator(tree, { ...serverOptions, registry, imageTag: '1.4.2' });
    expect(written('charts/environments/prod/mcp-server-values.yaml')).toMatchObject({ image: { repository, tag: '1.4.2' } });
  });

  it('replaces an existing file only with --overwrite', async () => {
    await chartValuesGenerator(tree, serverOptions);
    await expect(chartValuesGenerator(tree, { ...serverOptions, imageTag: '2.0.0' })).rejects.toThrow(
      'charts/environments/prod/mcp-server-values.yaml already exists: pass --overwrite to replace it.',
    );
    await chartValuesGenerator(tree, { ...serverOptions, imageTag: '2.0.0', overwrite: true });
    expect(written('charts/environments/prod/mcp-server-values.yaml')).toMatchObject({ image: { tag: '2.0.0' } });
  });

  describe('refuses, writing nothing,', () => {
    afterEach(() => {
      expect(tree.exists('charts/environments')).toBe(false);
    });

    it.each([
      [{ tenantId: '<TENANT_ID>' }, '--tenantId must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 (Entra tenant ID'],
      [{ tenantId: '72f988bf-86f1-41af-91ab' }, '--tenantId must be a GUID'],
      [{ tenantId: '00000000-0000-0000-0000-000000000000' }, '--tenantId is the nil GUID, a placeholder'],
      [{ clientId: '<UAMI_ID>' }, '--clientId must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 (managed identity client ID'],
      [{ backendApiUrl: 'api.example.com' }, '--backendApiUrl must be an http(s) URL such as https://api.contoso.com; got "api.example.com".'],
      [{ backendApiUrl: 'ftp://api.example.com' }, '--backendApiUrl must be an http(s) URL; got "ftp://api.example.com" (ftp).'],
      [{ backendApiUrl: 'https://svc:hunter2@api.example.com' }, '--backendApiUrl must not carry credentials'],
      [{ registry: 'my registry' }, '--registry "my registry" is neither an Azure Container Registry name'],
      [{ registry: 'acr' }, '--registry "acr" is neither an Azure Container Registry name'],
      [{ mcpServerUrl: 'http://mcp-server:8000' }, '--mcpServerUrl applies to the client chart; "mcp-server" is a server chart.'],
      [{ environment: 'Prod' }, "--environment must be lower-case letters, digits and '-'"],
      [{ environment: '../prod' }, "--environment must be lower-case letters, digits and '-'"],
      [{ chart: '../charts/mcp-server' }, "--chart must be lower-case letters, digits and '-'"],
    ])('bad options %j', async (override, message) => {
      await expect(chartValuesGenerator(tree, { ...serverOptions, ...override })).rejects.toThrow(message);
    });

    it('a client chart URL that is not http(s)', async () => {
      await expect(
        chartValuesGenerator(tree, { chart: 'mcp-client', environment: 'prod', tenantId: TENANT, clientId: CLIENT, registry: 'contosomcp', mcpServerUrl: 'mcp-server:8000' }),
      ).rejects.toThrow('--mcpServerUrl must be an http(s) URL');
    });

    it('an unknown chart, listing the charts there are', async () => {
      await expect(chartValuesGenerator(tree, { ...serverOptions, chart: 'billing-mcp' })).rejects.toThrow(
        'Unknown chart "billing-mcp" (--chart): there is no charts/billing-mcp/Chart.yaml. Charts here: mcp-client, mcp-server.',
      );
    });

    it('a chart without values.schema.json', async () => {
      tree.delete('charts/mcp-server/values.schema.json');
      await expect(chartValuesGenerator(tree, serverOptions)).rejects.toThrow('Chart "mcp-server" has no values.schema.json');
    });

    it("values that the chart's values.schema.json rejects, naming the path and the option", async () => {
      await expect(chartValuesGenerator(tree, { ...serverOptions, imageTag: 'v1 final' })).rejects.toThrow(
        /charts\/mcp-server\/values\.schema\.json rejects the values:\n {2}- \/image\/tag must match pattern .* \(set by --imageTag\)/,
      );
    });

    it('whatever the schema says at the time: a stricter schema is enforced too', async () => {
      const schema = JSON.parse(tree.read('charts/mcp-server/values.schema.json', 'utf-8') ?? '{}');
      schema.properties.app.properties.backendApiTimeout.maximum = 5;
      tree.write('charts/mcp-server/values.schema.json', JSON.stringify(schema));
      await expect(chartValuesGenerator(tree, serverOptions)).rejects.toThrow('/app/backendApiTimeout must be <= 5');
    });
  });
});
