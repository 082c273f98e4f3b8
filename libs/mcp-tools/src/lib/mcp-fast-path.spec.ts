import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { IsInt, IsString, Min } from 'class-validator';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { McpHttpEndpoint } from './mcp-http.endpoint';
import { McpServerFactory } from './mcp-server.factory';
import { McpTool } from './mcp-tool.decorator';
import { McpToolsModule } from './mcp-tools.module';
import { ToolError } from './tool-error';

class EchoInput {
  @IsString()
  text!: string;
}

class SquareInput {
  @IsInt()
  @Min(0)
  n!: number;
}

class SquareOutput {
  @IsInt()
  square!: number;
}

@Injectable()
class DifferentialTools {
  @McpTool({ name: 'echo', description: 'Echo', input: EchoInput, annotations: { readOnlyHint: true } })
  echo(input: EchoInput): string {
    return input.text;
  }

  @McpTool({ name: 'square', title: 'Square', description: 'Squares', input: SquareInput, output: SquareOutput })
  square(input: SquareInput): SquareOutput {
    return { square: input.n * input.n };
  }

  @McpTool({ name: 'refuse', description: 'Refuses', input: EchoInput })
  refuse(): never {
    throw new ToolError('refused on purpose');
  }
}

@Module({ providers: [DifferentialTools] })
class DifferentialToolsModule {}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'diff', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const ACCEPT = 'application/json, text/event-stream';

interface Probe {
  label: string;
  headers: Record<string, string>;
  body: string;
}

function legacy(label: string, message: object, version = '2025-11-25', extra: Record<string, string> = {}): Probe {
  return { label, headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': version, ...extra }, body: JSON.stringify(message) };
}

function modern(label: string, method: string, params: Record<string, unknown>, extra: Record<string, string> = {}, id: unknown = 7): Probe {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
  if (method === 'tools/call' && typeof params['name'] === 'string') headers['mcp-name'] = params['name'];
  return { label, headers: { ...headers, ...extra }, body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: MODERN_META } }) };
}

const call = (name: string, args: unknown, id: unknown = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

const PROBES: Probe[] = [
  legacy('legacy tools/list', { jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  legacy('legacy tools/list with empty params', { jsonrpc: '2.0', id: 'a', method: 'tools/list', params: {} }),
  legacy('legacy tools/call', call('echo', { text: 'hi' })),
  legacy('legacy tools/call, 2025-06-18', call('echo', { text: 'hi' }), '2025-06-18'),
  legacy('legacy tools/call, 2025-03-26', call('echo', { text: 'hi' }), '2025-03-26'),
  legacy('legacy tools/call with structured output', call('square', { n: 12 }, 'sq')),
  legacy('legacy tools/call with invalid arguments', call('square', { n: -1, extra: true })),
  legacy('legacy tools/call of a refusing tool', call('refuse', { text: 'x' })),
  legacy('legacy tools/call of an unknown tool', call('nope', {})),
  legacy('legacy tools/call without arguments', { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo' } }),
  legacy('legacy tools/call with array arguments', call('echo', ['x'])),
  legacy('legacy tools/call with a numeric name', { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 5 } }),
  legacy('legacy tools/call with an unsupported version header', call('echo', { text: 'hi' }), '1999-01-01'),
  legacy('legacy tools/list with a cursor', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: 'x' } }),
  legacy('legacy ping', { jsonrpc: '2.0', id: 1, method: 'ping' }),
  legacy('legacy unknown method', { jsonrpc: '2.0', id: 1, method: 'nope/nope' }),
  legacy('legacy batch', [call('echo', { text: 'a' }), call('echo', { text: 'b' }, 2)]),
  legacy('legacy notification', { jsonrpc: '2.0', method: 'notifications/initialized' }),
  legacy('legacy request with a null id', call('echo', { text: 'hi' }, null)),
  legacy('legacy request with a fractional id', call('echo', { text: 'hi' }, 1.5)),
  legacy('legacy request without jsonrpc', { id: 1, method: 'tools/list' }),
  legacy('legacy request accepting JSON only', call('echo', { text: 'hi' }), '2025-11-25', { accept: 'application/json' }),
  legacy('legacy request with a text/plain body', call('echo', { text: 'hi' }), '2025-11-25', { 'content-type': 'text/plain' }),
  { label: 'legacy request that is not JSON', headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2025-11-25' }, body: '{"jsonrpc":' },
  { label: 'legacy request with an empty body', headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2025-11-25' }, body: '' },
  modern('modern tools/list', 'tools/list', {}),
  modern('modern tools/call', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }),
  modern('modern tools/call with a string id', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, {}, 'req-1'),
  modern('modern tools/call with structured output', 'tools/call', { name: 'square', arguments: { n: 3 } }),
  modern('modern tools/call with invalid arguments', 'tools/call', { name: 'square', arguments: { n: 'x' } }),
  modern('modern tools/call of a refusing tool', 'tools/call', { name: 'refuse', arguments: { text: 'x' } }),
  modern('modern tools/call of an unknown tool', 'tools/call', { name: 'nope', arguments: {} }),
  modern('modern tools/call whose Mcp-Name header disagrees', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { 'mcp-name': 'square' }),
  modern('modern tools/call whose Mcp-Method header disagrees', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { 'mcp-method': 'tools/list' }),
  modern('modern tools/call without the Mcp-Method header', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { 'mcp-method': '' }),
  modern('modern tools/call whose version header disagrees', 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { 'mcp-protocol-version': '2025-11-25' }),
  modern('modern tools/call with a progress token', 'tools/call', { name: 'echo', arguments: { text: 'hi' }, _meta: { progressToken: 1 } }),
  modern('modern tools/call with a task', 'tools/call', { name: 'echo', arguments: { text: 'hi' }, task: { ttl: 1000 } }),
  modern('modern server/discover', 'server/discover', {}),
  {
    label: 'modern header without an envelope',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  },
  {
    label: 'modern envelope without clientInfo',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
  },
  {
    label: 'modern envelope with a numeric client name',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...MODERN_META, 'io.modelcontextprotocol/clientInfo': { name: 1, version: '1' } } } }),
  },
  {
    label: 'modern envelope under a 2025 version header',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: MODERN_META } }),
  },
  {
    label: 'modern envelope naming an unknown revision',
    headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...MODERN_META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } }),
  },
  legacy('legacy request carrying Mcp-Method/Mcp-Name headers', call('echo', { text: 'hi' }), '2025-11-25', { 'mcp-method': 'tools/call', 'mcp-name': 'echo' }),
  legacy('legacy request without a version header', call('echo', { text: 'hi' }), ''),
  legacy('legacy request naming the 2024-11-05 revision', call('echo', { text: 'hi' }), '2024-11-05'),
  modern('modern ping', 'ping', {}),
];

/** The JSON-RPC payload of a response, whether it came as JSON or as one SSE event. */
function payload(contentType: string | null, text: string): unknown {
  if (!text) return undefined;
  if (contentType?.startsWith('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)));
    return data.length === 1 ? data[0] : data;
  }
  return JSON.parse(text);
}

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the /mcp fast path against the stock SDK handler', () => {
  let ours: Awaited<ReturnType<typeof serve>>;
  let stock: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [McpToolsModule.forRoot({ serverInfo: { name: 'differential', version: '1.0.0' } }), DifferentialToolsModule],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    const endpoint = moduleRef.get(McpHttpEndpoint);
    const factory = moduleRef.get(McpServerFactory);
    const stockHandler = toNodeHandler(createMcpHandler((context) => factory.create(context)));
    ours = await serve((req, res) => void endpoint.handle(req, res));
    stock = await serve((req, res) => void stockHandler(req, res));
  });

  afterAll(async () => {
    await ours?.close();
    await stock?.close();
  });

  it.each(PROBES.map((probe) => [probe.label, probe] as const))('answers %s as the SDK does', async (_label, probe) => {
    const send = (url: string) => fetch(url, { method: 'POST', headers: probe.headers, body: probe.body });
    const [fast, reference] = await Promise.all([send(ours.url), send(stock.url)]);
    const [fastText, referenceText] = await Promise.all([fast.text(), reference.text()]);
    expect(fast.status).toBe(reference.status);
    expect(payload(fast.headers.get('content-type'), fastText)).toEqual(payload(reference.headers.get('content-type'), referenceText));
  });
});
