import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { postJson, RunningServer, startSampleBackend, startServer } from '@mcp-platform/testing';

const run = promisify(execFile);
const PROFILE_123 = { id: '123', name: 'Ada Lovelace', email: 'ada@example.com', department: 'Engineering' };

describe('POST /_mcp/messages (the deployment guide Step 8 call)', () => {
  let backend: RunningServer;
  let server: RunningServer;
  let messagesUrl: string;

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl });
    messagesUrl = `${server.baseUrl}/_mcp/messages`;
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  it("answers the guide's curl, byte for byte, with the tool result", async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-X',
      'POST',
      messagesUrl,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}',
    ]);
    const result = JSON.parse(stdout);
    expect(result.structuredContent).toEqual(PROFILE_123);
    expect(result.isError).toBeUndefined();
  });

  it('answers a full JSON-RPC request with a JSON-RPC response', async () => {
    const response = await postJson(messagesUrl, {
      jsonrpc: '2.0',
      id: 'abc',
      method: 'tools/call',
      params: { name: 'get_user_profile', arguments: { user_id: '456' } },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ jsonrpc: '2.0', id: 'abc', result: { structuredContent: { id: '456', name: 'Grace Hopper' } } });
  });

  it('lists the tools', async () => {
    const response = await postJson(messagesUrl, { method: 'tools/list' });
    expect(response.json.tools.map((tool: { name: string }) => tool.name)).toContain('get_user_profile');
  });

  it.each([
    ['a body that is not JSON', '{"method":', 400, -32700],
    ['a body that is an array', '[1,2]', 400, -32600],
    ['a missing method', '{"params":{}}', 400, -32600],
    ['params that are not an object', '{"method":"tools/call","params":"x"}', 400, -32602],
    ['a tool name that is not a string', '{"method":"tools/call","params":{"name":7}}', 400, -32602],
    ['an unknown tool', '{"method":"tools/call","params":{"name":"nope","arguments":{}}}', 404, -32602],
    ['an unknown method', '{"method":"resources/list"}', 404, -32601],
  ])('refuses %s with HTTP %i and JSON-RPC %i', async (_label, body, status, code) => {
    const response = await postJson(messagesUrl, body);
    expect(response.status).toBe(status);
    expect(response.json.error.code).toBe(code);
    expect(response.text).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers JSON-RPC errors in a JSON-RPC envelope when the request had an id', async () => {
    const response = await postJson(messagesUrl, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'nope' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32602, message: 'Unknown tool: nope' } });
  });

  it('returns invalid user ids as a tool error without calling the backend', async () => {
    const before = (await (await fetch(`${backend.baseUrl}/_control/seen`)).json()).requests;
    for (const userId of ['../admin', '%2e%2e', '123?x=1', '12\n3', '', 'x'.repeat(65)]) {
      const response = await postJson(messagesUrl, { method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: userId } } });
      expect(response.status).toBe(200);
      expect(response.json.isError).toBe(true);
      expect(response.json.content[0].text).toMatch(/^Invalid arguments for tool get_user_profile: user_id/);
    }
    const after = (await (await fetch(`${backend.baseUrl}/_control/seen`)).json()).requests;
    expect(after).toBe(before);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await postJson(messagesUrl, { method: 'tools/list', padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
  });
});
