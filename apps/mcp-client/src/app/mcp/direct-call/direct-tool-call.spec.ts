import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import type { Tool } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import fc from 'fast-check';
import type { PinoLogger } from 'nestjs-pino';
import { withRequestId } from '@mcp-platform/service-runtime';
import { catalogueFrom, CatalogueTool } from '../../discovery/catalogue';
import { McpConnection } from '../mcp-connection';
import { createNodeHttpFetch } from '../node-http-fetch';
import { createRequestIdFetch } from '../request-context';

// The same McpConnection, called with the tool's catalogue entry (the direct path once learned)
// and without it (always the SDK's Client.callTool), against one server whose tools/call answers
// the test scripts byte for byte. Both must end the same way, for every answer.

interface ScriptedAnswer {
  status?: number;
  contentType?: string;
  /** The raw body, given the request's JSON-RPC id as the server would write it. */
  body?: (id: string) => string;
  /** Never answer, or cut the connection. */
  behaviour?: 'hang' | 'reset';
}

const jsonRpcResult = (result: unknown) => (id: string) => `{"jsonrpc":"2.0","id":${id},"result":${JSON.stringify(result)}}`;

interface SeenCall {
  headers: http.IncomingHttpHeaders;
  body: { id: unknown; [key: string]: unknown };
}

const TOOLS: Tool[] = [
  { name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
  {
    name: 'profile',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
    outputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  },
];

/** An SDK server (both eras; JSON answers) behind a front that can answer tools/call from a script instead. */
async function startScriptedServer(era: 'modern' | 'legacy') {
  const script: ScriptedAnswer[] = [];
  const calls: SeenCall[] = [];
  const hanging = new Set<http.ServerResponse>();
  const handler = createMcpHandler(
    () => {
      const server = new Server({ name: 'scripted', version: '1.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler('tools/list', () => ({ tools: TOOLS }));
      server.setRequestHandler('tools/call', (request) => ({
        content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }],
        ...(request.params.name === 'profile' && { structuredContent: { id: 'p-1' } }),
      }));
      return server;
    },
    { responseMode: 'auto' },
  );
  const sdk = toNodeHandler(handler);
  const front = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const message = text ? (JSON.parse(text) as SeenCall['body'] & { method?: string }) : undefined;
      // A 2025-only server: the 2026-07-28 probe is an unknown route to it.
      if (era === 'legacy' && message?.method === 'server/discover') return void res.writeHead(404).end('not found');
      if (message?.method !== 'tools/call') return void sdk(req, res, message);
      calls.push({ headers: req.headers, body: message });
      const answer = script.shift();
      if (!answer && era === 'modern') return void sdk(req, res, message);
      // The SDK's 2025 leg answers with event streams; a 2025 server that answers JSON (as ours does) is played here.
      if (!answer) return void res.writeHead(200, { 'content-type': 'application/json' }).end(jsonRpcResult(legacyResultFor(message))(JSON.stringify(message.id)));
      if (answer.behaviour === 'hang') return void hanging.add(res);
      if (answer.behaviour === 'reset') return void req.socket.destroy();
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json' });
      res.end(answer.body?.(JSON.stringify(message.id)) ?? '');
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(front.address() as AddressInfo).port}/mcp`),
    calls,
    answerNext: (answer: ScriptedAnswer) => script.push(answer),
    close: async () => {
      for (const res of hanging) res.destroy();
      await handler.close();
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    },
  };
}

function legacyResultFor(message: SeenCall['body']) {
  const params = message['params'] as { name: string; arguments?: unknown };
  return {
    content: [{ type: 'text', text: JSON.stringify(params.arguments ?? {}) }],
    ...(params.name === 'profile' && { structuredContent: { id: 'p-1' } }),
  };
}

const logger = { debug: jest.fn() } as unknown as PinoLogger;
const connect = (url: URL, token?: string) =>
  new McpConnection(
    {
      url,
      clientInfo: { name: 'spec', version: '1.0.0' },
      followListChanged: false,
      fetch: createRequestIdFetch(createNodeHttpFetch()),
      ...(token && { authProvider: { token: async () => token } }),
    },
    logger,
  );

async function outcomeOf(call: Promise<unknown>) {
  try {
    return { value: await call };
  } catch (error) {
    const failure = error as Error & { code?: unknown };
    return { error: { class: failure.constructor.name, code: failure.code, message: failure.message } };
  }
}


describe.each(['modern', 'legacy'] as const)('the direct tools/call path (%s era) ends as the SDK does', (era) => {
  let server: Awaited<ReturnType<typeof startScriptedServer>>;
  let direct: McpConnection;
  let sdk: McpConnection;
  let catalogue: Map<string, CatalogueTool>;
  const modernMeta = era === 'modern' ? { resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'scripted', version: '1.0.0' } } } : {};

  /** The same answer to a call made each way: the outcomes must be equal. */
  async function bothWays(answer: ScriptedAnswer, tool = 'echo', args: Record<string, unknown> = { text: 'hi' }, timeoutMs = 2_000) {
    server.answerNext(answer);
    const viaDirect = await outcomeOf(direct.callTool(tool, args, timeoutMs, catalogue.get(tool)));
    server.answerNext(answer);
    const viaSdk = await outcomeOf(sdk.callTool(tool, args, timeoutMs));
    expect(viaDirect).toEqual(viaSdk);
    return viaDirect;
  }

  const lastCallId = () => server.calls.at(-1)?.body.id;

  beforeEach(async () => {
    server = await startScriptedServer(era);
    direct = connect(server.url, 'token-1');
    sdk = connect(server.url, 'token-1');
    catalogue = new Map(catalogueFrom((await direct.listTools(5_000)).tools).map((tool) => [tool.name, tool]));
    await sdk.listTools(5_000);
    expect(direct.protocolVersion).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
    // The first call goes through the SDK and teaches the direct path what to send.
    await direct.callTool('echo', { text: 'learn' }, 5_000, catalogue.get('echo'));
    expect(typeof lastCallId()).toBe('number');
  });

  afterEach(async () => {
    await direct.close();
    await sdk.close();
    await server.close();
  });

  it('sends what the SDK sends, but for the id, and the server answers it directly', async () => {
    await withRequestId('trace-1', () => direct.callTool('echo', { text: 'same' }, 2_000, catalogue.get('echo')));
    const viaDirect = server.calls.at(-1) as SeenCall;
    await withRequestId('trace-1', () => sdk.callTool('echo', { text: 'same' }, 2_000));
    const viaSdk = server.calls.at(-1) as SeenCall;
    expect(viaDirect.body.id).toMatch(/^mcp-client-direct-\d+$/);
    // The id and the length it changes are the only differences allowed; host and connection are the socket's.
    const wire = ({ headers, body }: SeenCall) => ({
      headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))),
      message: Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'id')),
    });
    expect(wire(viaDirect)).toEqual(wire(viaSdk));
    expect(viaDirect.headers).toMatchObject({ authorization: 'Bearer token-1', 'x-request-id': 'trace-1' });
  });

  it('returns the same result for a plain answer, and for structured content that matches the output schema', async () => {
    const text = await bothWays({ body: jsonRpcResult({ content: [{ type: 'text', text: 'hello' }], ...modernMeta }) });
    expect(text.value).toMatchObject({ content: [{ type: 'text', text: 'hello' }] });
    expect(lastCallId()).toEqual(expect.any(Number));
    const structured = await bothWays({ body: jsonRpcResult({ content: [], structuredContent: { id: 'p-9' }, ...modernMeta }) }, 'profile', {});
    expect(structured.value).toMatchObject({ structuredContent: { id: 'p-9' } });
  });

  it('fails the same way when structured content breaks the output schema or is missing', async () => {
    const broken = await bothWays({ body: jsonRpcResult({ content: [], structuredContent: { id: 7 }, ...modernMeta }) }, 'profile', {});
    expect(broken.error?.message).toMatch(/does not match the tool's output schema/);
    const missing = await bothWays({ body: jsonRpcResult({ content: [{ type: 'text', text: 'x' }], ...modernMeta }) }, 'profile', {});
    expect(missing.error?.message).toMatch(/has an output schema but did not return structured content/);
    const toolError = await bothWays({ body: jsonRpcResult({ content: [{ type: 'text', text: 'failed' }], isError: true, ...modernMeta }) }, 'profile', {});
    expect(toolError.value).toMatchObject({ isError: true });
  });

  it('hands answers it does not read to the SDK: other content, JSON-RPC errors, HTTP errors, malformed bodies', async () => {
    const image = await bothWays({ body: jsonRpcResult({ content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }], ...modernMeta }) });
    expect(image.value).toMatchObject({ content: [{ type: 'image' }] });
    const rpcError = await bothWays({ body: (id) => `{"jsonrpc":"2.0","id":${id},"error":{"code":-32602,"message":"unknown tool"}}` });
    expect(rpcError.error).toMatchObject({ class: 'ProtocolError', code: -32602 });
    const httpError = await bothWays({ status: 500, contentType: 'text/plain', body: () => 'boom' });
    expect(httpError.error?.message).toContain('boom');
    const malformed = await bothWays({ body: () => '{"jsonrpc":"2.0",' });
    expect(malformed.error).toBeDefined();
    const unexpected = await bothWays({ contentType: 'text/html', body: () => '<html></html>' });
    expect(unexpected.error?.message).toMatch(/Unexpected content type/);
  });

  it('reads an event-stream answer through the SDK, and leaves the next calls to the SDK until it learns again', async () => {
    const stream = (id: string) => `event: message\ndata: {"jsonrpc":"2.0","id":${id},"result":${JSON.stringify({ content: [{ type: 'text', text: 'streamed' }], ...modernMeta })}}\n\n`;
    const answer = await bothWays({ contentType: 'text/event-stream', body: stream });
    expect(answer.value).toMatchObject({ content: [{ type: 'text', text: 'streamed' }] });
    await direct.callTool('echo', { text: 'after' }, 2_000, catalogue.get('echo'));
    expect(lastCallId()).toEqual(expect.any(Number));
    await direct.callTool('echo', { text: 'learned again' }, 2_000, catalogue.get('echo'));
    expect(lastCallId()).toMatch(/^mcp-client-direct-/);
  });

  it('times out and reports a lost connection as the SDK does', async () => {
    const timeout = await bothWays({ behaviour: 'hang' }, 'echo', { text: 'slow' }, 300);
    expect(timeout.error).toMatchObject({ class: 'SdkError', code: 'REQUEST_TIMEOUT' });
    const reset = await bothWays({ behaviour: 'reset' });
    expect(reset.error).toMatchObject({ class: 'TypeError', message: 'fetch failed' });
  });

  it('agrees with the SDK on generated results', async () => {
    const json = fc.jsonValue({ maxDepth: 2 });
    const block = fc.oneof(
      fc.record({ type: fc.constant('text'), text: fc.string() }),
      fc.record({ type: fc.constantFrom('text', 'image'), text: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: ['type'] }),
      fc.record({ type: fc.constant('text'), text: fc.string(), annotations: fc.record({ priority: fc.double({ min: 0, max: 1, noNaN: true }) }) }),
    );
    const result = fc.record(
      {
        content: fc.oneof(fc.array(block, { maxLength: 3 }), json),
        structuredContent: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 3 }), json),
        isError: fc.oneof(fc.boolean(), json),
        resultType: fc.oneof(fc.constant('complete'), fc.constant('input_required'), json),
        _meta: fc.oneof(fc.constant(modernMeta._meta), fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 2 })),
        extra: json,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(result, fc.constantFrom('echo', 'profile'), async (generated, tool) => {
        await bothWays({ body: jsonRpcResult(generated) }, tool, {});
      }),
      { numRuns: 150 },
    );
  });
});
