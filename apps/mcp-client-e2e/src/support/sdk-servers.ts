import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server as ServerV1 } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport as TransportV1 } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpHandler, Server as ServerV2 } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

/** An MCP server made by a test, in the test process, on 127.0.0.1 and a free port. */
export interface FixtureServer {
  /** The base URL (what MCP_SERVER_URL is set to); the endpoint is `${baseUrl}/mcp`. */
  readonly baseUrl: string;
  readonly mcpUrl: string;
  close(): Promise<void>;
}

interface FixtureTool {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, { type: string }>; required?: string[] };
}

const textTool = (name: string): FixtureTool => ({
  name,
  description: `Echoes its text (${name})`,
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
});

async function listen(handler: http.RequestListener, onClose: () => Promise<void> = async () => undefined): Promise<FixtureServer & { server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    close: async () => {
      await onClose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A server built straight on the SDK v1 (`@modelcontextprotocol/sdk`), no NestJS, 2025 revisions
 * only: the high-level `McpServer` with one `echo` tool, served stateless (a fresh server and
 * transport per POST, the SDK's documented idiom).
 */
export function startV1EchoServer(): Promise<FixtureServer> {
  return listen(async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const server = new McpServerV1({ name: 'sdk-v1-echo', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echoes the text back', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    const transport = new TransportV1({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
}

/**
 * SDK v1, 2025 revisions only, with sessions: the low-level `Server` paging `tools/list` by
 * cursor (`pageSize` tools a page), and `addTool` announcing the change with
 * `notifications/tools/list_changed` on every session's GET stream.
 */
export async function startV1PagedServer(options: { tools: number; pageSize: number }): Promise<FixtureServer & { addTool(name: string): Promise<void> }> {
  const tools = Array.from({ length: options.tools }, (_, index) => textTool(`tool_${String(index).padStart(3, '0')}`));
  const sessions = new Map<string, { server: ServerV1; transport: TransportV1 }>();
  const createSession = async () => {
    const server = new ServerV1({ name: 'sdk-v1-paged', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const end = start + options.pageSize;
      return { tools: tools.slice(start, end), ...(end < tools.length && { nextCursor: String(end) }) };
    });
    server.setRequestHandler(CallToolRequestSchema, (request) => ({ content: [{ type: 'text', text: String(request.params.arguments?.['text']) }] }));
    const transport: TransportV1 = new TransportV1({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    await server.connect(transport);
    return transport;
  };
  const fixture = await listen(
    async (req, res) => {
      const id = req.headers['mcp-session-id'];
      const transport = (typeof id === 'string' && sessions.get(id)?.transport) || (await createSession());
      await transport.handleRequest(req, res);
    },
    async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close()));
    },
  );
  return {
    ...fixture,
    addTool: async (name) => {
      tools.push(textTool(name));
      await Promise.all([...sessions.values()].map(({ server }) => server.sendToolListChanged()));
    },
  };
}

export interface V2ServerOptions {
  /** Sent as the `ttlMs` caching hint of every tools/list result. */
  ttlMs?: number;
}

/**
 * SDK v2 `createMcpHandler` (2026-07-28, and 2025 through its stateless fallback): `addTool`
 * publishes `notifications/tools/list_changed` on open `subscriptions/listen` streams when asked
 * to; the `slow` tool answers only when the test releases it.
 */
export async function startV2Server(options: V2ServerOptions = {}) {
  const tools: FixtureTool[] = [textTool('echo'), { ...textTool('slow'), description: 'Answers when the test says so' }];
  const slowCalls: Array<(release: () => void) => void> = [];
  const pendingSlow: Array<() => void> = [];
  const handler = createMcpHandler(() => {
    const server = new ServerV2({ name: 'sdk-v2-fixture', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler('tools/list', () => ({ tools, ...(options.ttlMs !== undefined && { ttlMs: options.ttlMs }) }));
    server.setRequestHandler('tools/call', async (request) => {
      const text = String(request.params.arguments?.['text']);
      if (request.params.name === 'slow') {
        await new Promise<void>((release) => {
          const waiter = slowCalls.shift();
          if (waiter) waiter(release);
          else pendingSlow.push(release);
        });
      }
      return { content: [{ type: 'text', text }] };
    });
    return server;
  });
  const node = toNodeHandler(handler);
  const fixture = await listen((req, res) => void node(req, res), () => handler.close());
  return {
    ...fixture,
    /** Adds a tool; `announce` publishes list_changed to subscribers, otherwise clients learn it by listing. */
    addTool(name: string, announce: boolean): void {
      tools.push(textTool(name));
      if (announce) handler.notify.toolsChanged();
    },
    /** Resolves, with the function that lets it answer, once a call of `slow` has arrived. */
    nextSlowCall(): Promise<() => void> {
      const pending = pendingSlow.shift();
      if (pending) return Promise.resolve(pending);
      return new Promise((resolve) => slowCalls.push(resolve));
    },
  };
}

/**
 * SDK v2 serving `tools` verbatim in tools/list (whatever names and schemas a test makes up, a
 * hostile server's included); every call answers with its arguments as text.
 */
export async function startV2CatalogueServer(tools: Array<Record<string, unknown>>): Promise<FixtureServer> {
  const handler = createMcpHandler(() => {
    const server = new ServerV2({ name: 'sdk-v2-catalogue', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler('tools/list', () => ({ tools }) as never);
    server.setRequestHandler('tools/call', async (request) => ({ content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }] }));
    return server;
  });
  const node = toNodeHandler(handler);
  return listen((req, res) => void node(req, res), () => handler.close());
}
