import { getJson, RunningServer, startSampleBackend, startServer } from '@mcp-platform/testing';

async function status(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('health probes', () => {
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
    // No reuse of a check's outcome: these tests watch readiness follow the backend at once.
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, READINESS_CHECK_BACKEND: 'true', BACKEND_API_TIMEOUT: '1', READINESS_CACHE_TTL: '0' });
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  it('is live and ready while the backend answers', async () => {
    expect((await status(`${server.baseUrl}/health/live`)).status).toBe(200);
    const ready = await status(`${server.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ 'backend-api': { status: 'up' }, token: { status: 'up', mode: 'none' } });
  });

  it('turns unready (not unlive) while the backend is down, and ready again when it returns', async () => {
    const port = backend.port;
    await backend.stop();

    const unready = await status(`${server.baseUrl}/health/ready`);
    expect(unready.status).toBe(503);
    expect(unready.body.error['backend-api']).toMatchObject({ status: 'down', reason: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
    expect((await status(`${server.baseUrl}/health/live`)).status).toBe(200);

    backend = await startSampleBackend(port);
    expect((await status(`${server.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('skips the backend check unless READINESS_CHECK_BACKEND is true', async () => {
    const withoutCheck = await startServer({ BACKEND_API_URL: 'http://127.0.0.1:9' });
    try {
      const ready = await status(`${withoutCheck.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.info['backend-api']).toBeUndefined();
    } finally {
      await withoutCheck.stop();
    }
  });

  it('serves Prometheus metrics per tool and outcome', async () => {
    await fetch(`${server.baseUrl}/_mcp/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: '404' } } }),
    });
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(text).toMatch(/mcp_tool_calls_total\{tool="get_user_profile",outcome="tool_error"\} [1-9]/);
    expect(text).toMatch(/mcp_tool_call_duration_seconds_bucket\{le="0.005",tool="get_user_profile",outcome="tool_error"\}/);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });
});

describe('a flood of readiness probes', () => {
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
  });

  afterEach(() => server?.stop());

  afterAll(() => backend?.stop());

  const backendHealthRequests = async () => ((await getJson(`${backend.baseUrl}/_control/seen`)).json.paths as string[]).filter((path) => path === '/health').length;

  it('makes one backend request for 50 concurrent probes (READINESS_CACHE_TTL default)', async () => {
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, READINESS_CHECK_BACKEND: 'true' });
    const before = await backendHealthRequests();
    const probes = await Promise.all(Array.from({ length: 50 }, () => fetch(`${server.baseUrl}/health/ready`)));
    expect(probes.map((probe) => probe.status)).toEqual(Array(50).fill(200));
    expect((await backendHealthRequests()) - before).toBe(1);
  });

  it('answers later probes from the last check within READINESS_CACHE_TTL', async () => {
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, READINESS_CHECK_BACKEND: 'true', READINESS_CACHE_TTL: '60' });
    const before = await backendHealthRequests();
    for (let probe = 0; probe < 5; probe += 1) expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
    expect((await backendHealthRequests()) - before).toBe(1);
  });
});
