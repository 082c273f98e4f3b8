import { rawHttpExchange, rawRequest, RunningServer, startServer } from '@mcp-platform/testing';

const JSON_RPC_ERROR = { jsonrpc: '2.0', error: { code: expect.any(Number), message: expect.any(String) }, id: null };

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
});
// 2025-era tools/list is answered by the fast path; initialize and a body that is not JSON by the SDK.
const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

describe('strict at the edges', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(() => server?.stop());

  const errorLines = () => server.lines.filter((line) => JSON.parse(line).level >= 50);

  describe('Host', () => {
    const malformed = ['evil@localhost:8000', 'localhost/x', 'localhost:8000#', 'localhost:8000?a', 'localhost\\x', 'localhost:80:80', 'user:pw@localhost'];
    const bodies: Array<[string, string, string]> = [
      ['/mcp', 'initialize (the SDK)', initialize],
      ['/mcp', 'tools/list (the fast path)', toolsList],
      ['/mcp', 'a body that is not JSON (the SDK)', '{"jsonrpc":'],
      ['/_mcp/messages', 'tools/list', toolsList],
    ];

    for (const [path, label, body] of bodies) {
      it.each(malformed)(`${path}, ${label}: a Host with userinfo, path or junk (%p) is 400 in the one error shape, not a 500`, async (host) => {
        const before = errorLines().length;
        const response = await rawRequest(`${server.baseUrl}${path}`, { method: 'POST', headers: { ...MCP_HEADERS, host }, body });
        expect(response.status).toBe(400);
        expect(JSON.parse(response.text)).toEqual({ ...JSON_RPC_ERROR, error: { code: -32000, message: expect.stringMatching(/^Bad Request: malformed Host header/) } });
        expect(errorLines().length).toBe(before);
      });
    }

    it.each(['/mcp', '/_mcp/messages'])('%s: two Host headers are 400, even when the first is allowed', async (path) => {
      const answer = await rawHttpExchange(
        server.port,
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
          `Mcp-Protocol-Version: 2025-11-25\r\nContent-Length: ${toolsList.length}\r\nConnection: close\r\n\r\n${toolsList}`,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ ...JSON_RPC_ERROR, error: { code: -32000, message: 'Bad Request: more than one Host header' } });
    });

    it.each(['localhost', 'LOCALHOST', `127.0.0.1:${8000}`, '[::1]:8000', 'mcp-server'])('an allowed Host (%p) is served, on the SDK path too', async (host) => {
      const response = await rawRequest(`${server.baseUrl}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, host }, body: initialize });
      expect(response.status).toBe(200);
      expect(response.text).toContain('"protocolVersion":"2025-11-25"');
    });

    it('a foreign Host stays 403', async () => {
      const response = await rawRequest(`${server.baseUrl}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, host: 'evil.example:8000' }, body: initialize });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.text)).toEqual({ ...JSON_RPC_ERROR, error: { code: -32000, message: 'Forbidden: Host evil.example is not allowed' } });
    });
  });

  describe('one error body on every route', () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const cases: Array<[string, string, Record<string, string>, string, number, number]> = [
      ['GET', '/no/such/route', {}, '', 404, -32000],
      ['DELETE', '/metrics', {}, '', 404, -32000],
      ['POST', '/health/live', { 'content-type': 'text/plain' }, 'x', 404, -32000],
      ['POST', '/health/live', { 'content-type': 'application/json' }, '{"a":', 400, -32000],
      ['POST', '/nope', { 'content-type': 'application/json' }, big, 413, -32000],
      ['POST', '/_mcp/messages', { 'content-type': 'text/plain' }, '{"method":"tools/list"}', 415, -32000],
      ['POST', '/_mcp/messages', { 'content-type': 'application/json' }, '{"method":', 400, -32700],
      ['POST', '/_mcp/messages', { 'content-type': 'application/json' }, '{"method":"nope"}', 404, -32601],
      ['POST', '/_mcp/messages', { 'content-type': 'application/json' }, big, 413, -32000],
      ['POST', '/mcp', { ...MCP_HEADERS, 'content-type': 'text/plain' }, toolsList, 415, -32000],
      ['POST', '/mcp', MCP_HEADERS, '{"jsonrpc":', 400, -32700],
      ['POST', '/mcp', MCP_HEADERS, big, 413, -32000],
      ['PUT', '/mcp', MCP_HEADERS, toolsList, 405, -32000],
      ['GET', '/.well-known/oauth-protected-resource/mcp', {}, '', 404, -32000],
    ];

    it.each(cases)('%s %s (%j) answers %i with JSON-RPC code %i', async (method, path, headers, body, status, code) => {
      const head = Object.entries({ host: 'localhost', ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      const answer = await rawHttpExchange(server.port, `${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`);
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual({ jsonrpc: '2.0', error: { code, message: expect.any(String) }, id: null });
      expect(answer.body).not.toMatch(/FST_ERR|statusCode/);
    });
  });
});
