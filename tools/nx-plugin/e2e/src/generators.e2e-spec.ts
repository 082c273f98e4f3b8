import http from 'node:http';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { postJson, RunningProcess, startNodeProcess } from '@mcp-platform/testing';
import { helmBinary, helmEnv } from './support/helm';
import { CommandResult, copyWorkspace, WorkspaceCopy } from './support/workspace-copy';

/** The parts of rendered manifests the checks read. */
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec: { template: { spec: { containers: { image: string }[] } } };
}

function manifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => Boolean(manifest?.kind));
}

function find(all: Manifest[], kind: string): Manifest {
  const found = all.find((manifest) => manifest.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0f4d6a2e-5b1c-4f3e-9a7d-8c2b1e6f4a90';
// Environments of the suite's own, so values files the repository keeps in charts/environments/ never collide.
const ENV = 'plugin-e2e';
const REFUSED_ENV = 'plugin-e2e-refused';

/**
 * The three generators run from the CLI in a copy of the workspace, and what they write is
 * built, linted, tested, served and deployed there (helm template) as a developer would.
 */
describe('@mcp-platform/nx-plugin from the nx CLI', () => {
  let workspace: WorkspaceCopy;
  let backend: http.Server;
  let backendUrl: string;
  let helm: string;
  const running: RunningProcess[] = [];
  const timings: string[] = [];

  /** Runs nx and fails with its output unless it exits as expected. */
  async function nx(args: string[], expectedCode = 0): Promise<CommandResult> {
    const result = await workspace.nx(args);
    timings.push(`${result.seconds}s  nx ${args.join(' ')}`);
    if (result.code !== expectedCode) throw new Error(`nx ${args.join(' ')} exited ${result.code}, expected ${expectedCode}:\n${result.output}`);
    return result;
  }

  async function helmCommand(args: string[]): Promise<string> {
    const result = await workspace.run(helm, args, { env: helmEnv(join(workspace.dir, '..', 'helm-home')) });
    timings.push(`${result.seconds}s  helm ${args.slice(0, 2).join(' ')}`);
    if (result.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${result.code}:\n${result.output}`);
    return result.output;
  }

  async function startBuiltServer(app: string, env: Record<string, string>): Promise<string> {
    const server = startNodeProcess(join(workspace.dir, `dist/apps/${app}/main.js`), {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AZURE_CREDENTIAL: 'none',
      ...env,
    });
    running.push(server);
    const line = await server.waitForLine(new RegExp(`${app} listening on port \\d+`), 30_000);
    return `http://127.0.0.1:${/port (\d+)/.exec(line)?.[1]}`;
  }

  function changedFiles(): string[] {
    return workspace
      .git(['status', '--porcelain', '--untracked-files=all'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
  }

  beforeAll(async () => {
    helm = helmBinary();
    workspace = copyWorkspace();
    // The backend API the generated tool calls: answers every GET with what it was asked.
    backend = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, orders: [{ id: 'o-1' }] }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}/api`;
  });

  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
    await new Promise((resolve) => backend?.close(resolve));
    workspace?.remove();
    process.stdout.write(`nx-plugin e2e timings:\n${timings.map((line) => `  ${line}`).join('\n')}\n`);
  });

  it('tool --dry-run prints the plan and writes nothing', async () => {
    const { output } = await nx(['g', '@mcp-platform/nx-plugin:tool', 'search-orders', '--project=mcp-server', '--backend-path=/orders', '--dry-run']);
    expect(output).toContain('CREATE apps/mcp-server/src/app/tools/search-orders/search-orders.tool.ts');
    expect(output).toContain('CREATE apps/mcp-server/src/app/tools/search-orders/search-orders.input.ts');
    expect(output).toContain('CREATE apps/mcp-server/src/app/tools/search-orders/search-orders.tool.spec.ts');
    expect(output).toContain('UPDATE apps/mcp-server/src/app/tools/tools.module.ts');
    expect(output).toContain('NOTE: The "dryRun" flag means no changes were made.');
    expect(changedFiles()).toEqual([]);
  });

  it('tool adds search_orders to mcp-server, touching nothing outside it', async () => {
    await nx(['g', '@mcp-platform/nx-plugin:tool', 'search-orders', '--project=mcp-server', '--backend-path=/orders']);
    expect(changedFiles().sort()).toEqual([
      'apps/mcp-server/src/app/tools/search-orders/search-orders.input.ts',
      'apps/mcp-server/src/app/tools/search-orders/search-orders.tool.spec.ts',
      'apps/mcp-server/src/app/tools/search-orders/search-orders.tool.ts',
      'apps/mcp-server/src/app/tools/tools.module.ts',
    ]);
    expect(workspace.read('apps/mcp-server/src/app/tools/tools.module.ts')).toContain("import { SearchOrdersTool } from './search-orders/search-orders.tool';");
  });

  it('tool refuses an existing or invalid name with a clear message and writes nothing', async () => {
    const before = changedFiles();
    const existing = await nx(['g', '@mcp-platform/nx-plugin:tool', 'get_user_profile', '--project=mcp-server'], 1);
    expect(existing.output).toContain('Project "mcp-server" already has a tool named "get_user_profile" (@McpTool in apps/mcp-server/src/app/tools/user-profile/get-user-profile.tool.ts)');
    const invalid = await nx(['g', '@mcp-platform/nx-plugin:tool', 'orders!', '--project=mcp-server'], 1);
    expect(invalid.output).toContain('which is not a valid MCP tool name');
    expect(changedFiles()).toEqual(before);
  });

  it('nx affected after tool: mcp-server and what depends on it, nothing else', async () => {
    const affected = JSON.parse((await nx(['show', 'projects', '--affected', '--base=HEAD', '--json'])).output) as string[];
    await nx(['graph', `--file=${join(workspace.dir, '..', 'graph.json')}`]);
    const graph = JSON.parse(workspace.read('../graph.json')) as { graph: { dependencies: Record<string, { target: string }[]> } };
    const dependents = new Set(['mcp-server']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [project, deps] of Object.entries(graph.graph.dependencies)) {
        if (!dependents.has(project) && deps.some((dep) => dependents.has(dep.target))) grew = dependents.add(project) !== undefined;
      }
    }
    timings.push(`affected after tool: ${affected.sort().join(', ')}`);
    expect(affected.sort()).toEqual([...dependents].sort());
    expect(affected).toEqual(expect.arrayContaining(['mcp-server', 'mcp-server-e2e']));
    expect(affected).not.toEqual(expect.arrayContaining(['mcp-client']));
    expect(affected.filter((project) => ['charts', 'mcp-tools', 'azure-auth', 'health', 'config'].includes(project))).toEqual([]);
  });

  it('server scaffolds billing-mcp with its chart', async () => {
    await nx(['g', '@mcp-platform/nx-plugin:server', 'billing-mcp']);
    const project = JSON.parse(workspace.read('apps/billing-mcp/project.json')) as { tags: string[] };
    expect(project.tags).toEqual(['type:app', 'scope:billing-mcp']);
    expect(parse(workspace.read('charts/billing-mcp/Chart.yaml'))).toMatchObject({ name: 'billing-mcp' });
    expect(workspace.exists('apps/billing-mcp/Dockerfile')).toBe(true);
  });

  it('chart-values writes validated values files, and refuses bad input by option name', async () => {
    const common = [`--tenantId=${TENANT}`, `--clientId=${CLIENT}`, '--registry=contosomcp'];
    await nx(['g', '@mcp-platform/nx-plugin:chart-values', '--chart=mcp-server', `--environment=${ENV}`, ...common, '--backendApiUrl=https://api.contoso.com']);
    await nx(['g', '@mcp-platform/nx-plugin:chart-values', '--chart=billing-mcp', `--environment=${ENV}`, ...common, '--backendApiUrl=https://billing.contoso.com']);
    expect(parse(workspace.read(`charts/environments/${ENV}/billing-mcp-values.yaml`))).toMatchObject({
      azure: { tenantId: TENANT, clientId: CLIENT },
      image: { repository: 'contosomcp.azurecr.io/billing-mcp' },
      app: { backendApiUrl: 'https://billing.contoso.com' },
    });
    const badGuid = await nx(['g', '@mcp-platform/nx-plugin:chart-values', '--chart=mcp-server', `--environment=${REFUSED_ENV}`, '--tenantId=<TENANT_ID>', `--clientId=${CLIENT}`, '--registry=contosomcp'], 1);
    expect(badGuid.output).toContain('--tenantId must be a GUID');
    const unknown = await nx(['g', '@mcp-platform/nx-plugin:chart-values', '--chart=nope', `--environment=${REFUSED_ENV}`, ...common], 1);
    expect(unknown.output).toContain('Unknown chart "nope" (--chart)');
    expect(workspace.exists(`charts/environments/${REFUSED_ENV}`)).toBe(false);
  });

  it('mcp-server and billing-mcp lint, test and build', async () => {
    const { output } = await nx(['run-many', '-t', 'lint', 'test', 'build', '-p', 'mcp-server', 'billing-mcp', '--parallel=2', '--outputStyle=stream'], 0);
    expect(output).toMatch(/mcp-server:.*search-orders\.tool\.spec\.ts/);
    expect(output).toMatch(/billing-mcp:.*example-search\.tool\.spec\.ts/);
    expect(output).toMatch(/billing-mcp:.*bootstrap\.spec\.ts/);
  });

  it('the built mcp-server lists search_orders and calls it against the backend', async () => {
    const baseUrl = await startBuiltServer('mcp-server', { BACKEND_API_URL: backendUrl });
    const list = await postJson(`${baseUrl}/_mcp/messages`, { method: 'tools/list' });
    expect(list.status).toBe(200);
    expect(list.json.tools.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['get_user_profile', 'search_orders']));

    const call = await postJson(`${baseUrl}/_mcp/messages`, { method: 'tools/call', params: { name: 'search_orders', arguments: { query: 'late orders', limit: 3 } } });
    expect(call.status).toBe(200);
    expect(JSON.parse(call.json.content[0].text)).toEqual({ path: '/api/orders?query=late+orders&limit=3', orders: [{ id: 'o-1' }] });

    const invalid = await postJson(`${baseUrl}/_mcp/messages`, { method: 'tools/call', params: { name: 'search_orders', arguments: { query: '' } } });
    expect(invalid.json).toMatchObject({ isError: true });
  });

  it('the built billing-mcp serves health and its example tool, and stops cleanly on SIGTERM', async () => {
    const baseUrl = await startBuiltServer('billing-mcp', { BACKEND_API_URL: backendUrl });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const list = await postJson(`${baseUrl}/_mcp/messages`, { method: 'tools/list' });
    expect(list.json.tools.map((tool: { name: string }) => tool.name)).toEqual(['example_search']);
    const call = await postJson(`${baseUrl}/_mcp/messages`, { method: 'tools/call', params: { name: 'example_search', arguments: { query: 'x' } } });
    expect(JSON.parse(call.json.content[0].text)).toMatchObject({ path: '/api/example-search?query=x&limit=20' });
    // Graceful shutdown is wired: SIGTERM drains and exits 0.
    expect(await running[running.length - 1].stop()).toBe(0);
  });

  it('the charts lint and render with the generated values', async () => {
    await helmCommand(['lint', '--strict', 'charts/billing-mcp', '--values', `charts/environments/${ENV}/billing-mcp-values.yaml`]);
    const billing = manifests(
      await helmCommand(['template', 'billing-mcp', 'charts/billing-mcp', '--namespace', 'mcp-system', '--values', `charts/environments/${ENV}/billing-mcp-values.yaml`]),
    );
    expect(billing.map((manifest) => manifest.kind)).toEqual(
      expect.arrayContaining(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']),
    );
    expect(billing.filter((manifest) => manifest.kind !== 'Pod').map((manifest) => manifest.metadata.name)).toEqual(
      billing.filter((manifest) => manifest.kind !== 'Pod').map(() => 'billing-mcp'),
    );
    expect(find(billing, 'Deployment').spec.template.spec.containers[0].image).toBe('contosomcp.azurecr.io/billing-mcp:0.1.0');
    // The guide's federated credential subject for this app: system:serviceaccount:mcp-system:billing-mcp.
    expect(find(billing, 'ServiceAccount').metadata).toMatchObject({
      name: 'billing-mcp',
      annotations: { 'azure.workload.identity/client-id': CLIENT, 'azure.workload.identity/tenant-id': TENANT },
    });

    const server = manifests(
      await helmCommand(['template', 'mcp-server', 'charts/mcp-server', '--namespace', 'mcp-system', '--values', `charts/environments/${ENV}/mcp-server-values.yaml`]),
    );
    expect(find(server, 'Deployment').spec.template.spec.containers[0].image).toBe('contosomcp.azurecr.io/mcp-server:1.0.0');
    expect(find(server, 'ConfigMap').data).toMatchObject({ BACKEND_API_URL: 'https://api.contoso.com' });
    // The tenant reaches the pods through the service account (the webhook injects it), not the ConfigMap.
    expect(find(server, 'ServiceAccount').metadata.annotations).toMatchObject({ 'azure.workload.identity/tenant-id': TENANT });
  });
});
