import fc from 'fast-check';
import { Agent } from 'node:http';
import { rawRequest, RunningServer, startServer } from '@mcp-platform/testing';

// What a client mistake may be answered with; a 500 means the server broke.
const CLIENT_ERROR_OR_SUCCESS = new Set([200, 202, 400, 403, 404, 405, 406, 413, 415, 422]);
const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+|node_modules|\/src\/|\.ts:\d+/;
const RUNS = Number(process.env['HOSTILE_INPUT_RUNS'] ?? 300);

const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '', 'application/json;;; q=x', 'multipart/form-data; boundary=x');
const accepts = fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*', '', 'text/html');
const versions = fc.oneof(
  fc.constantFrom('2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '1999-01-01', '9999-99-99', '', 'latest', '2026-07-28, 2025-11-25'),
  fc.string({ maxLength: 40 }),
);
const methods = fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'initialize', 'ping', 'server/discover', 'resources/list', 'notifications/initialized'), fc.string({ maxLength: 30 }));
const ids = fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.double(), fc.boolean(), fc.object());
const jsonRpcish = fc.record(
  { jsonrpc: fc.oneof(fc.constant('2.0'), fc.anything()), id: ids, method: methods, params: fc.oneof(fc.object(), fc.anything(), fc.record({ name: fc.oneof(fc.constant('echo'), fc.string(), fc.anything()), arguments: fc.anything() })) },
  { requiredKeys: [] },
);
const bodies = fc.oneof(
  jsonRpcish.map((value) => Buffer.from(JSON.stringify(value))),
  fc.array(jsonRpcish, { maxLength: 5 }).map((batch) => Buffer.from(JSON.stringify(batch))),
  fc.json().map((text) => Buffer.from(text)),
  fc.string({ maxLength: 200 }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);

/** The server's one error body: a JSON-RPC error response. */
function expectServerErrorShape(text: string): void {
  const body = JSON.parse(text);
  expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number), message: expect.any(String) } });
}

describe('hostile input on the MCP endpoints (property-based)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server?.stop());

  for (const path of ['/mcp', '/_mcp/messages']) {
    it(`${path}: every request gets a defined client-error or success status, never a 500 or a stack trace`, async () => {
      await fc.assert(
        fc.asyncProperty(contentTypes, accepts, versions, methods, bodies, async (contentType, accept, version, mcpMethod, body) => {
          const headers: Record<string, string> = { host: `127.0.0.1:${server.port}` };
          if (contentType) headers['content-type'] = contentType;
          if (accept) headers['accept'] = accept;
          if (version) headers['mcp-protocol-version'] = version;
          headers['mcp-method'] = mcpMethod.replace(/[^\x21-\x7e]/g, '');
          const response = await rawRequest(`${server.baseUrl}${path}`, { method: 'POST', headers, body });
          expect(CLIENT_ERROR_OR_SUCCESS.has(response.status)).toBe(true);
          expect(response.text).not.toMatch(STACK_TRACE);
          if (response.status >= 400) expectServerErrorShape(response.text);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
      );
      expect((await fetch(`${server.baseUrl}/health/live`)).status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    });
  }

  it('every other route: any method, path and body gets a defined status, and an error in the one JSON-RPC shape', async () => {
    const routeMethods = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'), fc.stringMatching(/^[A-Z]{1,10}$/));
    const routePaths = fc.oneof(
      fc.constantFrom('/health/live', '/health/ready', '/metrics', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/nope', '/%', '//', '/mcp/x', '/_mcp/messages/x'),
      fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)),
    );
    await fc.assert(
      fc.asyncProperty(routeMethods, routePaths, contentTypes, bodies, async (method, path, contentType, body) => {
        const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
        // A fresh keep-alive connection per request: no answer leaves the next request a stale socket.
        const agent = new Agent({ keepAlive: true });
        const withBody = method !== 'GET' && method !== 'HEAD';
        const response = await rawRequest(`${server.baseUrl}${path}`, { method, headers, body: withBody ? body : undefined, agent }).finally(() => agent.destroy());
        expect(response.status).toBeLessThan(500);
        expect(response.text).not.toMatch(STACK_TRACE);
        if (response.status >= 400 && method !== 'HEAD') expectServerErrorShape(response.text);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
    );
  });

  it.each(['/mcp', '/_mcp/messages'])('%s: refuses a body over the limit with 413', async (path) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const response = await rawRequest(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body,
    });
    expect(response.status).toBe(413);
  });

  it('answers a batch with duplicate ids without mixing the answers up', async () => {
    const batch = [1, 1].map((id, index) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: `x${index}/` } } }));
    const response = await rawRequest(`${server.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify(batch),
    });
    expect(CLIENT_ERROR_OR_SUCCESS.has(response.status)).toBe(true);
    expect(response.text).not.toMatch(STACK_TRACE);
  });

  it('refuses a request id or header value that tries to inject lines into the logs or headers', async () => {
    const response = await rawRequest(`${server.baseUrl}/_mcp/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc\tdef' },
      body: JSON.stringify({ method: 'tools/list' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
