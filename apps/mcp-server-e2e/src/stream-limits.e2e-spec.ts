import http from 'node:http';
import { RunningEntraEmulator, RunningServer, startEntraEmulator, startServer } from '@mcp-platform/testing';

const LISTEN_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'subscriptions/listen',
};

function listenBody(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'subscriptions/listen',
    params: {
      notifications: { toolsListChanged: true },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'listener', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
}

interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  response: http.IncomingMessage;
  /** Everything read so far. */
  text: () => string;
  /** Resolves when the response has ended, with whether it ended with its last chunk (not a reset). */
  ended: Promise<boolean>;
  close: () => void;
}

/** A listen stream (or a GET) from `localAddress`, a caller of its own when inbound auth is off. */
function open(server: RunningServer, localAddress: string, requestId: string, method: 'POST' | 'GET' = 'POST', id = 1, extraHeaders: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const base = method === 'POST' ? { ...LISTEN_HEADERS, 'x-request-id': requestId } : { accept: 'text/event-stream', 'x-request-id': requestId };
    const headers = { ...base, ...extraHeaders };
    const req = http.request(`${server.baseUrl}/mcp`, { method, headers, localAddress, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<boolean>((done) => {
        response.once('end', () => done(response.complete));
        response.once('error', () => done(false));
        response.once('aborted', () => done(false));
      });
      resolve({ status: response.statusCode ?? 0, headers: response.headers, response, text: () => text, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end(method === 'POST' ? listenBody(id) : undefined);
  });
}

/** The access log line is written once the server has closed the response (and released its slot). */
const closedOnServer = (server: RunningServer, requestId: string) => server.waitForLine(new RegExp(`"id":"${requestId}"`));

describe('streams held open on /mcp are bounded', () => {
  describe('in number', () => {
    let server: RunningServer;
    const held: OpenStream[] = [];

    beforeAll(async () => {
      server = await startServer({ MCP_MAX_STREAMS: '3', MCP_MAX_STREAMS_PER_CALLER: '2', LOG_LEVEL: 'debug' });
    });

    afterAll(async () => {
      for (const stream of held) stream.close();
      await server?.stop();
    });

    it('per caller: 429 with Retry-After once a caller holds MCP_MAX_STREAMS_PER_CALLER', async () => {
      held.push(await open(server, '127.0.0.1', 'a1'), await open(server, '127.0.0.1', 'a2'));
      expect(held.map((stream) => stream.status)).toEqual([200, 200]);

      const refused = await open(server, '127.0.0.1', 'a3', 'POST', 42);
      await refused.ended;
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('30');
      expect(JSON.parse(refused.text())).toEqual({
        jsonrpc: '2.0',
        id: 42,
        error: { code: -32000, message: 'Too many open streams: this caller holds 2, the most allowed; close one or retry later' },
      });
    });

    it('in total: 503 with Retry-After for any caller once the server holds MCP_MAX_STREAMS, GET streams included', async () => {
      const other = await open(server, '127.0.0.2', 'b1');
      held.push(other);
      expect(other.status).toBe(200);

      for (const method of ['POST', 'GET'] as const) {
        const refused = await open(server, '127.0.0.3', `c-${method}`, method);
        await refused.ended;
        expect(refused.status).toBe(503);
        expect(refused.headers['retry-after']).toBe('30');
        expect(JSON.parse(refused.text()).error.message).toBe('Too many open streams: this server holds 3, the most allowed; retry later');
      }
    });

    it('frees the slot of a stream whose client left', async () => {
      held[0].close();
      await closedOnServer(server, 'a1');
      const again = await open(server, '127.0.0.1', 'a4');
      held.push(again);
      expect(again.status).toBe(200);
    });

    it('keeps serving calls meanwhile', async () => {
      const response = await fetch(`${server.baseUrl}/_mcp/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":"tools/list"}' });
      expect(response.status).toBe(200);
    });
  });

  describe('in time', () => {
    let server: RunningServer;

    beforeAll(async () => {
      server = await startServer({ MCP_STREAM_MAX_LIFETIME: '1', MCP_MAX_STREAMS_PER_CALLER: '1', LOG_LEVEL: 'debug' });
    });

    afterAll(() => server?.stop());

    it('ends a stream cleanly at MCP_STREAM_MAX_LIFETIME, and the client may open another', async () => {
      const first = await open(server, '127.0.0.1', 'life-1');
      expect(first.status).toBe(200);
      expect(await first.ended).toBe(true);
      expect(first.text()).toContain('notifications/subscriptions/acknowledged');

      await closedOnServer(server, 'life-1');
      const second = await open(server, '127.0.0.1', 'life-2');
      expect(second.status).toBe(200);
      expect(await second.ended).toBe(true);
    });
  });

  describe('per verified principal when inbound auth is on', () => {
    const SERVER_APP = 'api://mcp-server';
    let emulator: RunningEntraEmulator;
    let server: RunningServer;
    const held: OpenStream[] = [];

    const bearer = async (claims: object = {}) => {
      const { token } = await emulator.control<{ token: string }>('access-token', { resource: SERVER_APP, roles: ['Tools.Call'], claims });
      return { authorization: `Bearer ${token}` };
    };

    beforeAll(async () => {
      emulator = await startEntraEmulator();
      server = await startServer({
        ...emulator.tokenVerifierEnv(),
        MCP_AUTH_ENABLED: 'true',
        MCP_AUTH_AUDIENCES: SERVER_APP,
        MCP_MAX_STREAMS_PER_CALLER: '1',
      });
    });

    afterAll(async () => {
      for (const stream of held) stream.close();
      await server?.stop();
      await emulator?.stop();
    });

    it('counts one principal across addresses, and another principal apart', async () => {
      const principal = await bearer();
      held.push(await open(server, '127.0.0.1', 'p1', 'POST', 1, principal));
      expect(held[0].status).toBe(200);

      const sameFromElsewhere = await open(server, '127.0.0.2', 'p2', 'POST', 1, principal);
      await sameFromElsewhere.ended;
      expect(sameFromElsewhere.status).toBe(429);

      held.push(await open(server, '127.0.0.1', 'p3', 'POST', 1, await bearer({ oid: '00000000-0000-0000-0000-00000000b0b0' })));
      expect(held[1].status).toBe(200);
    });
  });
});
