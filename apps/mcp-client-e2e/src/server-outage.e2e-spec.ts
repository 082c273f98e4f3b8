import { freePort, getJson, logLines, postJson, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';


const UNREACHABLE = /^MCP server at .* unreachable: .*ECONNREFUSED; serving the last catalogue marked stale and retrying with backoff$/;
// Retry steps of 200 ms doubling to at most 500 ms: a server that comes back is found within 500 ms.
const BACKOFF = { DISCOVERY_RETRY_INITIAL_DELAY: '0.2', DISCOVERY_RETRY_MAX_DELAY: '0.5' };
const MAX_STEP_MS = 500;
// Readiness turns 503 once the server has not answered for an interval (plus a listing's timeout, here also 1 s).
const INTERVAL = { DISCOVERY_INTERVAL: '1' };

/** Polls `probe` (bounded) until it returns true; for states no log line announces. */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('when the MCP server is away', () => {
  let backend: RunningServer;
  let server: RunningServer | undefined;
  let client: RunningServer;
  let serverPort: number;
  let serverUrl: string;

  beforeAll(async () => {
    backend = await startSampleBackend();
    serverPort = await freePort();
    serverUrl = `http://127.0.0.1:${serverPort}`;
    // debug: each retry writes a debug line, which is what the test waits on.
    client = await startClient({ MCP_SERVER_URL: serverUrl, LOG_LEVEL: 'debug', ...BACKOFF, ...INTERVAL });
  });

  afterAll(async () => {
    await client?.stop();
    await server?.stop();
    await backend?.stop();
  });

  it('serves an empty, stale catalogue and is unready while no server ever answered, logging the outage once', async () => {
    // Six retries (about 2 s) after the first failure, still one warning; the server comes up after that.
    await waitForLog(client, 'MCP server still unreachable', { count: 6 });
    expect(logLines(client, UNREACHABLE)).toHaveLength(1);
    expect(logLines(client, /^Discovered/)).toHaveLength(0);

    const catalogue = await getJson(`${client.baseUrl}/tools`);
    expect(catalogue.status).toBe(200);
    expect(catalogue.json).toMatchObject({ server: `${serverUrl}/mcp`, stale: true, discoveredAt: null, tools: [] });
    expect(catalogue.json.reason).toMatch(/^no tool catalogue discovered yet: .*ECONNREFUSED/);

    const ready = await getJson(`${client.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json.error['mcp-server']).toMatchObject({ status: 'down', reason: expect.stringMatching(/ECONNREFUSED/) });
    expect((await getJson(`${client.baseUrl}/health/live`)).status).toBe(200);

    const call = await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' });
    expect(call.status).toBe(503);
    expect(Number(call.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(call.json.error).toBe('server_unavailable');
  });

  it('discovers the tools within one backoff step of the server coming up', async () => {
    server = await startServer({ PORT: String(serverPort), BACKEND_API_URL: backend.baseUrl });
    const listening = JSON.parse(await server.waitForLine(/mcp-server listening on port/));
    const discovered = await waitForLog(client, `Discovered 1 tools from ${serverUrl}/mcp`);
    // One retry step at most, plus the handshake and listing on a server that just started.
    expect(discovered.time - listening.time).toBeLessThanOrEqual(MAX_STEP_MS + 500);
    expect(logLines(client, /answers$/)).toHaveLength(1);

    expect((await getJson(`${client.baseUrl}/tools`)).json).toMatchObject({ stale: false, tools: [{ name: 'get_user_profile' }] });
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
    expect((await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' })).status).toBe(200);
  });

  it('keeps serving the last catalogue marked stale, turns unready, and answers calls 503 with Retry-After, when the server dies', async () => {
    const running = server as RunningServer;
    // A crash (SIGKILL): nothing is drained, the connections just go.
    running.child.kill('SIGKILL');
    await running.exited;
    await waitForLog(client, UNREACHABLE, { count: 2 });

    const catalogue = await getJson(`${client.baseUrl}/tools`);
    expect(catalogue.status).toBe(200);
    expect(catalogue.json).toMatchObject({ stale: true, tools: [{ name: 'get_user_profile' }] });
    expect(catalogue.json.reason).toMatch(/^MCP server at .* unreachable since .*ECONNREFUSED/);
    expect(catalogue.json.discoveredAt).not.toBeNull();

    await eventually(async () => (await getJson(`${client.baseUrl}/health/ready`)).status === 503);
    const ready = await getJson(`${client.baseUrl}/health/ready`);
    expect(ready.json.error['mcp-server']).toMatchObject({ status: 'down', tools: 1, reason: expect.stringMatching(/has not answered for \d+ s: .*ECONNREFUSED/) });
    expect((await getJson(`${client.baseUrl}/health/live`)).status).toBe(200);

    const call = await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' });
    expect(call.status).toBe(503);
    expect(call.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(call.json).toEqual({ error: 'server_unavailable', message: expect.stringMatching(/unreachable: .*ECONNREFUSED/) });
  });

  it('is fresh and ready again once the server is back on the same port', async () => {
    server = await startServer({ PORT: String(serverPort), BACKEND_API_URL: backend.baseUrl });
    await waitForLog(client, `MCP server at ${serverUrl}/mcp answers again`);
    // The catalogue did not change: no second "Discovered" line.
    expect(logLines(client, /^Discovered/)).toHaveLength(1);
    expect((await getJson(`${client.baseUrl}/tools`)).json).toMatchObject({ stale: false, tools: [{ name: 'get_user_profile' }] });
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
    expect((await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' })).json.structuredContent).toMatchObject({ id: '123' });
  });
});
