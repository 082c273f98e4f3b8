import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { postJson, RunningEntraEmulator, RunningServer, startEntraEmulator, startTokenCheckingBackend, waitForLog, WORKSPACE_ROOT } from '@mcp-platform/testing';
import { parse } from 'yaml';
import { builtImage } from './support/built-images';
import { podIdentity } from './support/pod-identity';
import { RunningContainer, startContainer } from './support/running-container';

const { terminationGracePeriodSeconds } = parse(readFileSync(path.join(WORKSPACE_ROOT, 'charts/mcp-client/values.yaml'), 'utf8')) as {
  terminationGracePeriodSeconds: number;
};

// The guide's Step 6 and "Test Client Discovery": the client image discovers the server
// image's tools, each with its own workload identity, the server demanding a token.
describe('the mcp-client image, run as its chart runs it, against the mcp-server image', () => {
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;
  let server: RunningContainer;
  let client: RunningContainer;

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    backend = await startTokenCheckingBackend(emulator);
    const serverIdentity = await podIdentity(emulator, 'mcp-server');
    server = await startContainer(builtImage('mcp-server'), {
      env: {
        ...serverIdentity.env,
        AZURE_SCOPES: 'api://mcp-sample-backend/.default',
        BACKEND_API_URL: backend.baseUrl,
        MCP_AUTH_ENABLED: 'true',
        MCP_AUTH_AUDIENCES: 'api://mcp-server',
        MCP_AUTH_REQUIRED_ROLES: 'Tools.Call',
      },
      volumes: serverIdentity.volumes,
    });
    const clientIdentity = await podIdentity(emulator, 'mcp-client');
    client = await startContainer(builtImage('mcp-client'), {
      env: {
        ...clientIdentity.env,
        MCP_SERVER_URL: server.baseUrl,
        MCP_SERVER_SCOPE: 'api://mcp-server/.default',
      },
      volumes: clientIdentity.volumes,
    });
  }, 90_000);

  afterAll(async () => {
    await client?.remove();
    await server?.remove();
    await backend?.stop();
    await emulator?.stop();
    if (emulator) rmSync(emulator.stateDir, { recursive: true, force: true });
  });

  it('logs "Discovered N tools" for the server\'s tools', async () => {
    const line = await waitForLog(client, /^Discovered \d+ tools from /, { timeoutMs: 30_000 });
    expect(line.msg).toBe(`Discovered 1 tools from ${server.baseUrl}/mcp`);
  });

  it('calls a tool through its REST facade, with a token for the server', async () => {
    const call = await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' });
    expect(call.status).toBe(200);
    expect(call.json.structuredContent).toMatchObject({ id: '123', name: 'Ada Lovelace' });
    // The server refuses callers without a token, so the client's call carried one.
    expect((await postJson(`${server.baseUrl}/_mcp/messages`, { method: 'tools/list' })).status).toBe(401);
  });

  it('runs node as PID 1, as uid and gid 10001', async () => {
    const status = await client.exec(['cat', '/proc/1/status', '/proc/1/cmdline']);
    expect(status.stdout).toMatch(/^Uid:\s+10001\s+10001\s+10001/m);
    expect(status.stdout).toMatch(/^Gid:\s+10001\s+10001\s+10001/m);
    expect(status.stdout).toMatch(/node\0(-[^\0]+\0)*main\.js\0/);
  });

  it(`stops on SIGTERM with exit code 0 within the chart's grace period (${terminationGracePeriodSeconds} s)`, async () => {
    const { exitCode, seconds } = await client.stopWithin(terminationGracePeriodSeconds);
    process.stdout.write(`mcp-client container stopped in ${seconds.toFixed(1)} s\n`);
    expect(exitCode).toBe(0);
    expect(seconds).toBeLessThan(terminationGracePeriodSeconds);
  });
});
