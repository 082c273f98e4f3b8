import { getJson, postJson, RunningServer, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';

const CALLERS = 40;
const profileCall = { name: 'get_user_profile', arguments: { user_id: '123' } };
const legacyHeaders = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

// The three ways a call reaches a tool; each sends a call that stalls at the backend.
const routes: [string, string, (index: number) => { headers: Record<string, string>; body: object }][] = [
  ['/_mcp/messages', '/_mcp/messages', () => ({ headers: {}, body: { method: 'tools/call', params: profileCall } })],
  ['/mcp (fast path)', '/mcp', (index) => ({ headers: legacyHeaders, body: { jsonrpc: '2.0', id: index, method: 'tools/call', params: profileCall } })],
  // A progress token is a shape the fast path leaves to the SDK.
  [
    '/mcp (SDK handler)',
    '/mcp',
    (index) => ({ headers: legacyHeaders, body: { jsonrpc: '2.0', id: index, method: 'tools/call', params: { ...profileCall, _meta: { progressToken: index } } } }),
  ],
];

describe('a caller that disconnects cancels its call', () => {
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, BACKEND_API_TIMEOUT: '60' });
    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'stall', delayMs: 120_000 });
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  it.each(routes)('%s: the backend request is aborted when the caller leaves', async (_label, path, request) => {
    const requestsBefore = (await getJson(`${backend.baseUrl}/_control/seen`)).json.requests as number;
    const abandonedBefore = backend.lines.filter((line) => line.includes('"request abandoned"')).length;
    const callers = Array.from({ length: CALLERS }, () => new AbortController());
    const calls = callers.map((caller, index) => {
      const { headers, body } = request(index);
      return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: caller.signal }).catch(
        (error: Error) => error,
      );
    });
    await waitForLog(backend, 'request', { count: requestsBefore + CALLERS });
    expect((await getJson(`${backend.baseUrl}/_control/seen`)).json.inFlight).toBe(CALLERS);

    for (const caller of callers) caller.abort();
    await Promise.all(calls);

    await waitForLog(backend, 'request abandoned', { count: abandonedBefore + CALLERS });
    expect((await getJson(`${backend.baseUrl}/_control/seen`)).json.inFlight).toBe(0);
  });

  it('counts the cancelled calls in the metrics, not as internal errors', async () => {
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`mcp_tool_calls_total\\{tool="get_user_profile",outcome="cancelled"\\} ${CALLERS * routes.length}\\b`));
    expect(metrics).not.toMatch(/outcome="internal_error"/);
  });
});
