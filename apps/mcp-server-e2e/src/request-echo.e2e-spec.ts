import { postJson, RunningServer, startServer } from '@mcp-platform/testing';

const LEGACY = { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'e2e', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** `params` of a tools/call as each route takes it; the SDK route carries a progress token, which the fast path leaves to the SDK. */
type Route = [label: string, send: (server: RunningServer, id: unknown, params: { name: string; arguments?: unknown }) => ReturnType<typeof postJson>];

const routes: Route[] = [
  ['/mcp fast path (2025)', (server, id, params) => postJson(`${server.baseUrl}/mcp`, { jsonrpc: '2.0', id, method: 'tools/call', params }, LEGACY)],
  [
    '/mcp SDK handler (2025)',
    (server, id, params) => postJson(`${server.baseUrl}/mcp`, { jsonrpc: '2.0', id, method: 'tools/call', params: { ...params, _meta: { progressToken: 1 } } }, LEGACY),
  ],
  [
    '/mcp (2026-07-28)',
    (server, id, params) =>
      postJson(
        `${server.baseUrl}/mcp`,
        { jsonrpc: '2.0', id, method: 'tools/call', params: { ...params, _meta: MODERN_META } },
        { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': params.name.slice(0, 200) },
      ),
  ],
  ['/_mcp/messages', (server, id, params) => postJson(`${server.baseUrl}/_mcp/messages`, { jsonrpc: '2.0', id, method: 'tools/call', params })],
];

/** A JSON-RPC answer, whether it came as JSON or as one SSE event. */
function rpcOf(response: Awaited<ReturnType<typeof postJson>>) {
  if (response.json !== undefined) return response.json;
  const data = /^data: (.+)$/m.exec(response.text);
  return data ? JSON.parse(data[1]) : undefined;
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('what the server echoes back of a request', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server?.stop());

  describe.each(routes)('%s', (_label, send) => {
    it.each([
      ['an object', { injected: 'x'.repeat(1_000) }],
      ['an array', [1, 2]],
      ['a boolean', true],
    ])('answers a request whose id is %s with id null, never echoing it', async (_kind, id) => {
      const response = await send(server, id, { name: 'get_user_profile', arguments: { user_id: '123' } });
      expect(response.status).toBeLessThan(500);
      const rpc = rpcOf(response);
      expect(rpc.id).toBeNull();
      expect(rpc.error.code).toBe(-32600);
      expect(response.text).not.toContain('injected');
    });

    it('echoes an unknown tool name cut to 64 characters', async () => {
      const name = `${'t'.repeat(64)}${'u'.repeat(10_000)}`;
      const rpc = rpcOf(await send(server, 7, { name, arguments: {} }));
      expect(rpc).toMatchObject({ id: 7, error: { code: -32602, message: `Unknown tool: ${'t'.repeat(64)}…` } });
    });

    it('answers arguments nested to the limit as a tool error, not a 500', async () => {
      const rpc = rpcOf(await send(server, 8, { name: 'get_user_profile', arguments: { user_id: JSON.parse(nested(55)) } }));
      expect(rpc.id).toBe(8);
      expect(rpc.result.isError).toBe(true);
    });
  });

  it.each([
    ['/mcp', { 'content-type': 'application/json', ...LEGACY }],
    ['/_mcp/messages', { 'content-type': 'application/json' }],
  ])('%s refuses an id or arguments nested deeper than 64 levels with a parse error, not a 500', async (path, headers) => {
    for (const body of [
      `{"jsonrpc":"2.0","id":${nested(10_000)},"method":"tools/list"}`,
      `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_user_profile","arguments":${nested(100)}}}`,
    ]) {
      const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers, body });
      expect(response.status).toBe(400);
      const answer = await response.json();
      expect(answer.error).toEqual({ code: -32700, message: 'Parse error: JSON nested deeper than 64 levels' });
    }
  });
});
