import { connect } from 'node:net';
import { postJson, RunningServer, SERVER_MAIN, startNodeProcess, startSampleBackend, startServer } from '@mcp-platform/testing';
import { DRAIN_CLIENT_GRACE_MS } from '@mcp-platform/service-runtime';

describe('configuration at start-up', () => {
  it.each([
    ['PORT', 'eighty', /PORT must be an integer/],
    ['BACKEND_API_URL', 'not a url', /BACKEND_API_URL must be an http\(s\) URL/],
    ['BACKEND_API_TIMEOUT', '-3', /BACKEND_API_TIMEOUT must be a positive number of seconds, at most 300$/],
    ['READINESS_CHECK_BACKEND', 'maybe', /READINESS_CHECK_BACKEND must be true or false/],
    ['LOG_LEVEL', 'LOUD', /LOG_LEVEL must be one of/],
    ['AZURE_AUTHORITY_HOST', 'http://login.example', /AZURE_AUTHORITY_HOST must be an https URL/],
  ])('stops with one line naming %s when it is %p', async (name, value, message) => {
    const proc = startNodeProcess(SERVER_MAIN, { PORT: '0', [name]: value });
    expect(await proc.exited).toBe(1);
    expect(proc.lines).toHaveLength(1);
    expect(proc.lines[0]).toMatch(message);
  });

  it('accepts the guide\'s LOG_LEVEL "INFO"', async () => {
    const server = await startServer({ LOG_LEVEL: 'INFO' });
    expect((await fetch(`${server.baseUrl}/health/live`)).status).toBe(200);
    await server.stop();
  });
});

describe('SIGTERM', () => {
  let backend: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
  });

  afterAll(() => backend?.stop());

  it('finishes the call in flight, refuses new connections, and exits 0', async () => {
    const server = await startServer({ BACKEND_API_URL: backend.baseUrl, BACKEND_API_TIMEOUT: '5' });
    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'stall', delayMs: 800 });
    try {
      const inFlight = postJson(`${server.baseUrl}/_mcp/messages`, {
        method: 'tools/call',
        params: { name: 'get_user_profile', arguments: { user_id: '123' } },
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      server.child.kill('SIGTERM');
      await server.waitForLine(/SIGTERM received/);
      await expect(fetch(`${server.baseUrl}/health/live`)).rejects.toThrow();
      const response = await inFlight;
      expect(response.json.structuredContent).toMatchObject({ id: '123' });
      expect(await server.exited).toBe(0);
    } finally {
      await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'ok' });
      await server.stop();
    }
  });
});

describe('logs', () => {
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  it('are JSON, carry the caller request id, and never contain the authorization header', async () => {
    const secret = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl';
    const response = await postJson(
      `${server.baseUrl}/_mcp/messages`,
      { method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: '123' } } },
      { authorization: `Bearer ${secret}`, 'x-request-id': 'trace-42' },
    );
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    const line = await server.waitForLine(/"id":"trace-42"/);
    expect(JSON.parse(line)).toMatchObject({ req: { id: 'trace-42', method: 'POST', url: '/_mcp/messages' }, res: { statusCode: 200 } });
    for (const logged of server.lines) expect(JSON.parse(logged)).toBeDefined();
    expect(server.lines.join('\n')).not.toContain(secret);
  });

  it('replaces a request id that is not sane', async () => {
    const response = await fetch(`${server.baseUrl}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('write probes at debug, not info', async () => {
    await fetch(`${server.baseUrl}/health/live`, { headers: { 'x-request-id': 'probe-1' } });
    const line = JSON.parse(await server.waitForLine(/"id":"probe-1"/));
    expect(line.level).toBe(20);
  });
});

describe('runtime', () => {
  it('runs on the Node.js 24 the workspace pins (not the system Node)', () => {
    expect(process.version).toMatch(/^v24\./);
  });
});

describe('SIGTERM with a client listening for catalogue changes', () => {
  it('ends the notification stream and exits 0 promptly instead of waiting for it', async () => {
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const server = await startServer();
    const client = new Client(
      { name: 'listener', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, listChanged: { tools: { autoRefresh: false, onChanged: () => undefined } } },
    );
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/mcp`)));
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      // One more round trip: the listen stream opened at connect is established by now.
      await client.listTools();
      const started = performance.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // The stream ends at once; the drain then gives the client's idle connection its grace
      // (DRAIN_CLIENT_GRACE_MS), not the whole SHUTDOWN_TIMEOUT.
      expect(performance.now() - started).toBeLessThan(DRAIN_CLIENT_GRACE_MS + 3_000);
    } finally {
      await client.close().catch(() => undefined);
      await server.stop();
    }
  });
});

describe('SIGTERM with a request that stalls on the way in', () => {
  // Expect: 100-continue: the server answers it once the request is dispatched, so the test knows the request is in.
  const bodyStalls = (path: string) =>
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`;
  const cases: Array<[string, string, string | undefined]> = [
    ['/mcp: headers and part of a body', bodyStalls('/mcp'), '{"jsonrpc":"2.0","id":1,'],
    ['/_mcp/messages: headers and part of a body', bodyStalls('/_mcp/messages'), '{"method":'],
    ['/health/live: part of the headers', 'GET /health/live HTTP/1.1\r\nHost: local', undefined],
  ];

  // SHUTDOWN_TIMEOUT far above the client grace: a drain that waited for the rest would end in exit 1.
  it.each(cases)('%s: cuts the request after the client grace and exits 0, not at the deadline', async (_label, head, bodyStart) => {
    const server = await startServer({ SHUTDOWN_TIMEOUT: '20' });
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    try {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(head);
      if (bodyStart !== undefined) {
        await new Promise((resolve) => socket.once('data', resolve));
        socket.write(bodyStart);
      }
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await closed;
      expect(server.lines.join('\n')).toMatch(/drained; exiting/);
    } finally {
      socket.destroy();
      await server.stop();
    }
  }, 30_000);
});
