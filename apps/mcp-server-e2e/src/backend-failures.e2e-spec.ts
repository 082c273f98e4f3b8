import { postJson, RunningServer, startSampleBackend, startServer } from '@mcp-platform/testing';

const call = (userId: string) => ({ method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: userId } } });

async function setFaults(backend: RunningServer, faults: object) {
  await postJson(`${backend.baseUrl}/_control/faults`, faults);
}

describe('get_user_profile when the backend fails', () => {
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, BACKEND_API_TIMEOUT: '0.5' });
  });

  afterEach(() => setFaults(backend, { mode: 'ok' }));

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  it('names a 5xx from the backend', async () => {
    await setFaults(backend, { mode: 'error', statusCode: 503 });
    const response = await postJson(`${server.baseUrl}/_mcp/messages`, call('123'));
    expect(response.json).toEqual({ isError: true, content: [{ type: 'text', text: 'backend API failed with HTTP 503' }] });
  });

  it('gives up after BACKEND_API_TIMEOUT and says so', async () => {
    await setFaults(backend, { mode: 'stall', delayMs: 5_000 });
    const started = performance.now();
    const response = await postJson(`${server.baseUrl}/_mcp/messages`, call('123'));
    const elapsedMs = performance.now() - started;
    expect(response.json).toEqual({ isError: true, content: [{ type: 'text', text: 'backend API did not answer within 0.5 s' }] });
    expect(elapsedMs).toBeGreaterThanOrEqual(450);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it('names an unreachable backend', async () => {
    const orphan = await startServer({ BACKEND_API_URL: 'http://127.0.0.1:9' });
    try {
      const response = await postJson(`${orphan.baseUrl}/_mcp/messages`, call('123'));
      expect(response.json.isError).toBe(true);
      expect(response.json.content[0].text).toBe('backend API unreachable (ECONNREFUSED)');
    } finally {
      await orphan.stop();
    }
  });
});

describe('oversized results', () => {
  let backend: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
  });

  afterAll(() => backend?.stop());

  it('refuses a backend answer over 1 MiB while it streams in', async () => {
    const server = await startServer({ BACKEND_API_URL: backend.baseUrl });
    try {
      await setFaults(backend, { mode: 'huge', bytes: 3_000_000 });
      const response = await postJson(`${server.baseUrl}/_mcp/messages`, call('123'));
      expect(response.json).toEqual({ isError: true, content: [{ type: 'text', text: 'backend API answered more than 1048576 bytes; refused' }] });
    } finally {
      await setFaults(backend, { mode: 'ok' });
      await server.stop();
    }
  });

  it('refuses a tool result over MCP_MAX_RESULT_BYTES with a clear error', async () => {
    const server = await startServer({ BACKEND_API_URL: backend.baseUrl, MCP_MAX_RESULT_BYTES: '100000' });
    try {
      await setFaults(backend, { mode: 'huge', bytes: 200_000 });
      const response = await postJson(`${server.baseUrl}/_mcp/messages`, call('123'));
      expect(response.json.isError).toBe(true);
      expect(response.json.content[0].text).toMatch(/^Tool get_user_profile returned a result of about \d+ bytes, over the limit of 100000$/);
    } finally {
      await setFaults(backend, { mode: 'ok' });
      await server.stop();
    }
  });
});
