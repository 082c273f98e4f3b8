import http from 'node:http';
import { getJson, logLines, postJson, rawRequest, RunningServer, startClient, waitForLog } from '@mcp-platform/testing';
import { FixtureServer, startV1PagedServer } from './support/sdk-servers';
import { startUntrustedServer, textTool, UntrustedServer } from './support/untrusted-server';

const EVIL_PATTERN = '^(a|a)*$';
// A backtracking engine takes about 2^n steps on n a's followed by a b: 40 would take days.
const EVIL_INPUT = `${'a'.repeat(40)}b`;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** JSON arguments `levels` + 1 deep: `levels` nested arrays in `extra`. */
const nested = (levels: number) => `{"text":"x","extra":${'['.repeat(levels)}${']'.repeat(levels)}}`;

/** Starts `count` calls of `tool` and returns the function that disconnects every caller. */
function callersOf(client: RunningServer, tool: string, count: number): () => void {
  const requests = Array.from({ length: count }, () => {
    const request = http.request(`${client.baseUrl}/tools/${tool}/call`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } });
    request.on('error', () => undefined);
    request.end('{}');
    return request;
  });
  return () => requests.forEach((request) => request.destroy());
}

describe('the client against an MCP server it must not trust', () => {
  let server: UntrustedServer;
  let client: RunningServer;
  const call = (tool: string, body: unknown) => postJson(`${client.baseUrl}/tools/${tool}/call`, body);

  beforeAll(async () => {
    server = await startUntrustedServer({
      bigResultBytes: MAX_RESPONSE_BYTES + 1,
      tools: [
        textTool('echo'),
        textTool('big'),
        { name: 'slow', description: 'Never answers', inputSchema: { type: 'object' } },
        textTool('evil', { pattern: EVIL_PATTERN }, { patternProperties: { [EVIL_PATTERN]: { type: 'string' } } }),
        {
          name: 'inherited',
          description: 'Parameters named like members of every object',
          inputSchema: JSON.parse('{"type":"object","properties":{"constructor":{"type":"string"},"toString":{"type":"string"},"__proto__":{"type":"string"}},"required":["constructor","toString"]}'),
        },
      ],
    });
    client = await startClient({ MCP_SERVER_URL: server.baseUrl, MCP_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES), TOOL_CALL_TIMEOUT: '30' });
    await waitForLog(client, /^Discovered \d+ tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await server?.close();
  });

  it('answers an answer over MCP_MAX_RESPONSE_BYTES with 502 naming the limit, on the SDK path and the direct path alike', async () => {
    // The connection's first call goes through the SDK; once one is answered with JSON, calls take the direct path.
    const throughSdk = await call('big', { text: 'x' });
    expect(throughSdk.status).toBe(502);
    expect(throughSdk.json).toEqual({ error: 'upstream_error', message: `the MCP server's answer to big is larger than MCP_MAX_RESPONSE_BYTES (${MAX_RESPONSE_BYTES} bytes)` });
    expect((await call('echo', { text: 'learn' })).status).toBe(200);
    const direct = await call('big', { text: 'x' });
    expect(direct.status).toBe(502);
    expect(direct.json).toEqual(throughSdk.json);
    // The server answered: no outage.
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
    expect((await getJson(`${client.baseUrl}/tools`)).json.stale).toBe(false);
  });

  it('checks a server-published catastrophic pattern in linear time, in pattern and patternProperties', async () => {
    const refused = await call('evil', { text: EVIL_INPUT });
    expect(refused.status).toBe(400);
    expect(refused.json.details.fields).toEqual([{ field: 'text', message: `must match pattern "${EVIL_PATTERN}"` }]);
    expect((await call('evil', { text: 'a'.repeat(40) })).status).toBe(200);
    // Every property name is tried against patternProperties: the non-matching one too.
    expect((await call('evil', { text: 'aa', [EVIL_INPUT]: 1 })).status).toBe(200);
    const wrongValue = await call('evil', { text: 'aa', ['a'.repeat(40)]: 1 });
    expect(wrongValue.status).toBe(400);
    expect(wrongValue.json.details.fields).toEqual([{ field: 'a'.repeat(40), message: 'must be string' }]);
  }, 10_000);

  it('validates own properties only: parameters named constructor and toString are required like any other', async () => {
    const missing = await call('inherited', {});
    expect(missing.status).toBe(400);
    expect(missing.json.details.fields).toEqual([
      { field: 'constructor', message: 'is required' },
      { field: 'toString', message: 'is required' },
    ]);
    const given = await call('inherited', { constructor: 'c', toString: 't' });
    expect(given.status).toBe(200);
    expect(JSON.parse(given.json.content[0].text)).toEqual({ constructor: 'c', toString: 't' });
  });

  it('refuses arguments nested past TOOL_ARGUMENTS_MAX_DEPTH with 400, on both routes, and does not take it for an outage', async () => {
    const expected = {
      error: 'invalid_arguments',
      message: 'the arguments nest arrays and objects deeper than 62 levels (TOOL_ARGUMENTS_MAX_DEPTH)',
      details: { fields: [{ field: '', message: 'the arguments nest arrays and objects deeper than 62 levels (TOOL_ARGUMENTS_MAX_DEPTH)' }] },
    };
    const fast = await call('echo', nested(100));
    expect(fast.status).toBe(400);
    expect(fast.json).toEqual(expected);
    // Chunked: served by Fastify and the controller rather than the call route.
    const chunked = await rawRequest(`${client.baseUrl}/tools/echo/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: nested(10_000),
    });
    expect(chunked.status).toBe(400);
    expect(JSON.parse(chunked.text)).toEqual(expected);
    // Within the limit the arguments go to the server as ever.
    expect((await call('echo', nested(61))).status).toBe(200);
    expect((await call('echo', nested(62))).status).toBe(400);
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${client.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^mcp_client_server_up 1$/m);
  });

  it('echoes at most 64 characters of an unknown tool name', async () => {
    const response = await call('x'.repeat(5_000), {});
    expect(response.status).toBe(404);
    expect(response.json.message).toBe(`no tool named "${'x'.repeat(64)}…" in the catalogue of ${server.mcpUrl}`);
  });

  it('cuts the forwarded calls when their callers disconnect, on the direct path', async () => {
    const before = server.slowAborted;
    const disconnect = callersOf(client, 'slow', 40);
    await server.until(() => server.slowOpen === 40);
    disconnect();
    await server.until(() => server.slowAborted - before === 40 && server.slowOpen === 0);
    const metrics = await (await fetch(`${client.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^mcp_client_tool_calls_total\{tool="slow",outcome="cancelled"\} 40$/m);
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
  });
});

describe('a fresh client whose callers disconnect (the SDK path)', () => {
  let server: UntrustedServer;
  let client: RunningServer;

  beforeAll(async () => {
    server = await startUntrustedServer({ tools: [textTool('echo'), { name: 'slow', description: 'Never answers', inputSchema: { type: 'object' } }] });
    client = await startClient({ MCP_SERVER_URL: server.baseUrl, TOOL_CALL_TIMEOUT: '30' });
    await waitForLog(client, /^Discovered \d+ tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await server?.close();
  });

  it('cuts the forwarded calls, the server sees each request end', async () => {
    const disconnect = callersOf(client, 'slow', 40);
    await server.until(() => server.slowOpen === 40);
    disconnect();
    await server.until(() => server.slowAborted === 40 && server.slowOpen === 0);
    const metrics = await (await fetch(`${client.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^mcp_client_tool_calls_total\{tool="slow",outcome="cancelled"\} 40$/m);
    expect(metrics).toMatch(/^mcp_client_server_up 1$/m);
  });
});

describe('discovery from a server whose tools/list is over MCP_MAX_RESPONSE_BYTES', () => {
  let server: UntrustedServer;
  let client: RunningServer;

  beforeAll(async () => {
    server = await startUntrustedServer({ tools: Array.from({ length: 50 }, (_, index) => textTool(`tool_${index}`)) });
  });

  afterAll(async () => {
    await client?.stop();
    await server?.close();
  });

  it('refuses the listing, says why, and keeps no catalogue', async () => {
    client = await startClient({ MCP_SERVER_URL: server.baseUrl, MCP_MAX_RESPONSE_BYTES: '2048' });
    const warning = await waitForLog(client, /unreachable/);
    expect(warning.msg).toContain('larger than MCP_MAX_RESPONSE_BYTES (2048 bytes)');
    const catalogue = await getJson(`${client.baseUrl}/tools`);
    expect(catalogue.json).toMatchObject({ stale: true, tools: [], reason: expect.stringContaining('MCP_MAX_RESPONSE_BYTES') });
    expect(logLines(client, /^Discovered/)).toEqual([]);
  });
});

// The SDK reads an event stream cut for its size as a dropped connection and would wait for the answer until the timeout.
describe('an answer over MCP_MAX_RESPONSE_BYTES in an event stream (SDK v1 server, 2025 revisions)', () => {
  let server: FixtureServer;
  let client: RunningServer;

  beforeAll(async () => {
    server = await startV1PagedServer({ tools: 1, pageSize: 10 });
    client = await startClient({ MCP_SERVER_URL: server.baseUrl, MCP_MAX_RESPONSE_BYTES: '65536', TOOL_CALL_TIMEOUT: '20' });
    await waitForLog(client, /^Discovered \d+ tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await server?.close();
  });

  it('answers 502 naming the limit', async () => {
    const small = await postJson(`${client.baseUrl}/tools/tool_000/call`, { text: 'x' });
    expect(small.status).toBe(200);
    const response = await postJson(`${client.baseUrl}/tools/tool_000/call`, { text: 'x'.repeat(100_000) });
    expect({ status: response.status, json: response.json }).toEqual({ status: 502, json: { error: 'upstream_error', message: expect.stringContaining('MCP_MAX_RESPONSE_BYTES') } });
  });
});
