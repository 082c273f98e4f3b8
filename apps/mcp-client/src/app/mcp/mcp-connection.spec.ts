import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { PinoLogger } from 'nestjs-pino';
import type { AccessToken, TokenProvider } from '@mcp-platform/azure-auth';
import { withRequestId } from '@mcp-platform/service-runtime';
import { EntraTokenAuthProvider } from './entra-token.auth-provider';
import { McpConnection, McpConnectionOptions } from './mcp-connection';
import { createRequestIdFetch } from './request-context';

interface SeenRequest {
  method: string;
  mcpMethod: string | undefined;
  authorization: string | undefined;
  requestId: string | undefined;
}

/** A 2026-07-28 server made with the SDK's own handler, recording the headers of every request. */
async function startServer(options: { slowTool?: Promise<void> } = {}) {
  const seen: SeenRequest[] = [];
  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'fixture', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler('tools/list', () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }], ttlMs: 5_000 }));
    server.setRequestHandler('tools/call', async (request) => {
      if (request.params.name === 'slow') await options.slowTool;
      return { content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }] };
    });
    return server;
  });
  const node = toNodeHandler(handler);
  const server = http.createServer((req, res) => {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    seen.push({ method: req.method ?? '', mcpMethod: header('mcp-method'), authorization: header('authorization'), requestId: header('x-request-id') });
    void node(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    seen,
    notifyToolsChanged: () => handler.notify.toolsChanged(),
    /** What a server does at shutdown: end every subscriptions/listen stream with its graceful result. */
    endSubscriptions: () => handler.close(),
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A TokenProvider whose token the test rotates, as the cache does when it refreshes ahead of expiry. */
class RotatingTokens implements TokenProvider {
  readonly mode = 'workload-identity' as const;
  current = 'token-1';
  readonly scopesAsked: string[][] = [];

  async getToken(scopes: string[]): Promise<AccessToken> {
    this.scopesAsked.push(scopes);
    return { token: this.current, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' };
  }
}

const logger = { debug: jest.fn() } as unknown as PinoLogger;

function connect(url: URL, extra: Partial<McpConnectionOptions> = {}) {
  return new McpConnection({ url, clientInfo: { name: 'spec', version: '1.0.0' }, followListChanged: false, fetch: createRequestIdFetch(), ...extra }, logger);
}

describe('McpConnection', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let connection: McpConnection;

  afterEach(async () => {
    await connection?.close();
    await server?.close();
  });

  it('negotiates 2026-07-28 with a current server and reads the ttlMs hint of tools/list', async () => {
    server = await startServer();
    connection = connect(server.url);
    const listing = await connection.listTools(5_000);
    expect(connection.protocolVersion).toBe('2026-07-28');
    expect(listing).toEqual({ tools: [expect.objectContaining({ name: 'echo' })], ttlMs: 5_000 });
  });

  describe('with MCP_SERVER_SCOPE (an EntraTokenAuthProvider)', () => {
    it('sends the cached token on every request, and a rotated one from the next request on, without reconnecting', async () => {
      server = await startServer();
      const tokens = new RotatingTokens();
      connection = connect(server.url, { authProvider: new EntraTokenAuthProvider(tokens, 'api://mcp-server/.default') });

      await connection.listTools(5_000);
      tokens.current = 'token-2';
      await connection.callTool('echo', { text: 'hi' }, 5_000);

      const posts = server.seen.filter((request) => request.method === 'POST');
      expect(posts.map((request) => [request.mcpMethod, request.authorization])).toEqual([
        ['server/discover', 'Bearer token-1'],
        ['tools/list', 'Bearer token-1'],
        ['tools/call', 'Bearer token-2'],
      ]);
      expect(server.seen.every((request) => request.authorization !== undefined)).toBe(true);
      expect(new Set(tokens.scopesAsked.map((scopes) => scopes.join(' ')))).toEqual(new Set(['api://mcp-server/.default']));
    });

    it('fails the request with the token error when no token can be had', async () => {
      server = await startServer();
      const failing: TokenProvider = {
        mode: 'workload-identity',
        getToken: async () => {
          throw new Error('no token for api://mcp-server/.default: AADSTS700213: No matching federated identity record found');
        },
      };
      connection = connect(server.url, { authProvider: new EntraTokenAuthProvider(failing, 'api://mcp-server/.default') });
      await expect(connection.listTools(5_000)).rejects.toThrow(/AADSTS700213/);
      expect(server.seen).toEqual([]);
    });
  });

  it('sends no Authorization header without a scope', async () => {
    server = await startServer();
    connection = connect(server.url);
    await connection.listTools(5_000);
    await connection.callTool('echo', {}, 5_000);
    expect(server.seen.length).toBeGreaterThanOrEqual(3);
    expect(server.seen.every((request) => request.authorization === undefined)).toBe(true);
  });

  it("passes the REST request's id on as x-request-id, and none for discovery", async () => {
    server = await startServer();
    connection = connect(server.url);
    await connection.listTools(5_000);
    await withRequestId('trace-42', () => connection.callTool('echo', {}, 5_000));
    const byMethod = Object.fromEntries(server.seen.map((request) => [request.mcpMethod, request.requestId]));
    expect(byMethod).toEqual({ 'server/discover': undefined, 'tools/list': undefined, 'tools/call': 'trace-42' });
  });

  it('opens a connection that a call triggered without that call\'s request id', async () => {
    server = await startServer();
    connection = connect(server.url);
    // No listTools first: the call itself makes the connection (handshake and all).
    await withRequestId('trace-43', () => connection.callTool('echo', {}, 5_000));
    const byMethod = Object.fromEntries(server.seen.map((request) => [request.mcpMethod, request.requestId]));
    expect(byMethod).toEqual({ 'server/discover': undefined, 'tools/call': 'trace-43' });
  });

  it('hears notifications/tools/list_changed on its subscriptions/listen stream', async () => {
    server = await startServer();
    connection = connect(server.url, { followListChanged: true });
    const changed = new Promise<void>((resolve) => (connection.onToolsListChanged = resolve));
    await connection.listTools(5_000);
    expect(server.seen.map((request) => request.mcpMethod)).toContain('subscriptions/listen');
    server.notifyToolsChanged();
    await changed;
  });

  it('reports the end of its subscription, and gives the connection up, when the server ends it', async () => {
    server = await startServer();
    connection = connect(server.url, { followListChanged: true });
    const ended = new Promise<string>((resolve) => (connection.onSubscriptionEnded = resolve));
    await connection.listTools(5_000);
    await server.endSubscriptions();
    expect(await ended).toBe('graceful');
    expect(connection.protocolVersion).toBeUndefined();
  });

  it('lets a call in flight finish on a connection that was reset, and connects afresh for the next', async () => {
    let release = () => undefined as void;
    server = await startServer({ slowTool: new Promise<void>((resolve) => (release = resolve)) });
    connection = connect(server.url);
    await connection.listTools(5_000);
    const inFlight = connection.callTool('slow', { n: 1 }, 5_000);
    await waitFor(() => server.seen.some((request) => request.mcpMethod === 'tools/call'));
    connection.reset();
    await connection.listTools(5_000);
    release();
    expect(await inFlight).toMatchObject({ content: [{ type: 'text', text: '{"n":1}' }] });
    expect(server.seen.filter((request) => request.mcpMethod === 'server/discover')).toHaveLength(2);
  });

  it('gives up a call after its timeout with the SDK timeout error', async () => {
    server = await startServer({ slowTool: new Promise<void>(() => undefined) });
    connection = connect(server.url);
    await expect(connection.callTool('slow', {}, 200)).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
