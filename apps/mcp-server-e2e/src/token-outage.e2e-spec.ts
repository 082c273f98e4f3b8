import { postJson, RunningEntraEmulator, RunningServer, startEntraEmulator, startServer, startTokenCheckingBackend } from '@mcp-platform/testing';

// Tokens live 8 s here: the cache refreshes at 4 s and a token stops being usable at 7.2 s.
const TOKEN_LIFETIME_SECONDS = 8;

const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: '123' } } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Entra outages around a token refresh', () => {
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;
  let server: RunningServer;

  async function callUntil(deadline: number): Promise<{ ok: number; failed: string[] }> {
    const failed: string[] = [];
    let ok = 0;
    for (let id = 0; Date.now() < deadline; id += 1) {
      const response = await postJson(`${server.baseUrl}/_mcp/messages`, call(id));
      if (response.json?.result?.structuredContent?.id === '123') ok += 1;
      else failed.push(JSON.stringify(response.json));
      await sleep(200);
    }
    return { ok, failed };
  }

  beforeEach(async () => {
    emulator = await startEntraEmulator({ tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS });
    backend = await startTokenCheckingBackend(emulator);
    server = await startServer({ ...emulator.workloadIdentityEnv('mcp-server'), AZURE_SCOPES: 'api://mcp-sample-backend/.default', BACKEND_API_URL: backend.baseUrl });
  });

  afterEach(async () => {
    await server?.stop();
    await backend?.stop();
    await emulator?.stop();
  });

  it.each([
    ['answering 500', { mode: 'error', statusCode: 500 }],
    ['answering 429 with Retry-After', { mode: 'throttle', retryAfterSeconds: 1 }],
    ['down', { mode: 'down' }],
  ])('Entra %s through the refresh window until shortly before expiry: no call fails', async (_label, faults) => {
    const started = Date.now();
    expect((await postJson(`${server.baseUrl}/_mcp/messages`, call(0))).json.result.structuredContent).toBeDefined();
    await emulator.control('faults', faults);
    const duringOutage = await callUntil(started + 6_000);
    expect(duringOutage.failed).toEqual([]);
    // The cache did try to refresh during the outage, and met the fault.
    expect((await emulator.stats()).faultsInjected).toBeGreaterThan(0);

    await emulator.control('faults', { mode: 'ok' });
    const afterwards = await callUntil(started + 9_000);
    expect(afterwards.failed).toEqual([]);
    expect((await emulator.stats()).tokensIssued).toBeGreaterThanOrEqual(2);
  });

  it('Entra down past expiry: calls fail naming the cause, readiness turns 503, and both recover without a restart', async () => {
    const started = Date.now();
    expect((await postJson(`${server.baseUrl}/_mcp/messages`, call(0))).json.result.structuredContent).toBeDefined();
    await emulator.control('faults', { mode: 'down' });
    await sleep(Math.max(0, started + TOKEN_LIFETIME_SECONDS * 1000 - Date.now()));

    const failed = await postJson(`${server.baseUrl}/_mcp/messages`, call(1));
    expect(failed.json.result.isError).toBe(true);
    expect(failed.json.result.content[0].text).toMatch(/^could not get a token for the backend API: no token for api:\/\/mcp-sample-backend\/.default: /);
    const unready = await fetch(`${server.baseUrl}/health/ready`);
    expect(unready.status).toBe(503);
    expect((await unready.json()).error.token.status).toBe('down');

    await emulator.control('faults', { mode: 'ok' });
    let recovered = false;
    for (let attempt = 0; attempt < 100 && !recovered; attempt += 1) {
      await sleep(200);
      recovered = (await postJson(`${server.baseUrl}/_mcp/messages`, call(2))).json.result.structuredContent?.id === '123';
    }
    expect(recovered).toBe(true);
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
  });
});
