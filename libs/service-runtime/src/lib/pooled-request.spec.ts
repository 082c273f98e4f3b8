import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { pooledRequest, ResponseTooLargeError } from './pooled-request';

// pooledRequest against a real loopback server: what it reads back, and how it gives up.

interface Seen {
  method: string;
  path: string;
  body: string;
}

async function startServer(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, seen };
}

const post = (body: string, timeoutMs = 5_000, onTimeout: () => void = () => undefined) => ({
  method: 'POST' as const,
  path: '/mcp?x=1',
  headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
  body,
  timeoutMs,
  onTimeout: () => {
    onTimeout();
    return new Error(`timed out after ${timeoutMs} ms`);
  },
});

describe('pooledRequest', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((close) => close()));
  });

  async function setUp(answer: Parameters<typeof startServer>[0], connections = 4) {
    const started = await startServer(answer);
    const pool = new Pool(started.origin, { connections });
    cleanup.push(
      () => pool.destroy(),
      () => new Promise((resolve) => started.server.close(resolve)),
      async () => started.server.closeAllConnections(),
    );
    return { ...started, pool };
  }

  it('posts the body to the path and reads status, headers and a body written in several chunks', async () => {
    const { pool, seen } = await setUp((req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-request-id']) });
      // Two writes with a flush between them: the answer arrives in more than one chunk.
      res.write(`{"got":${body},"pad":"${'é'.repeat(40_000)}`);
      setImmediate(() => res.end('"}'));
    });
    const answer = await pooledRequest(pool, post('{"a":1}'));
    expect(seen).toEqual([{ method: 'POST', path: '/mcp?x=1', body: '{"a":1}' }]);
    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-echo']).toBe('r-1');
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ got: { a: 1 }, pad: 'é'.repeat(40_000) });
  });

  it('rejects with undici’s error when the server cuts the connection', async () => {
    const { pool } = await setUp((req) => req.socket.destroy());
    await expect(pooledRequest(pool, post('{}'))).rejects.toMatchObject({ name: expect.stringMatching(/Error$/), code: expect.any(String) });
  });

  it('rejects at once on a destroyed pool, and never reaches the deadline', async () => {
    const { pool, seen } = await setUp(() => undefined);
    await pool.destroy();
    const onTimeout = jest.fn();
    await expect(pooledRequest(pool, post('{}', 50, onTimeout))).rejects.toMatchObject({ name: 'ClientDestroyedError' });
    // Past the deadline: it was cleared when the call failed.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(onTimeout).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
  });

  it('gives up at the deadline, says so once, and cuts the request', async () => {
    const closed: string[] = [];
    const { pool } = await setUp((req, res) => res.on('close', () => closed.push(req.url ?? '')));
    const onTimeout = jest.fn();
    await expect(pooledRequest(pool, post('{}', 50, onTimeout))).rejects.toThrow('timed out after 50 ms');
    expect(onTimeout).toHaveBeenCalledTimes(1);
    // The abandoned request's connection is closed, so the server stops working on it.
    for (let attempt = 0; attempt < 200 && closed.length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toEqual(['/mcp?x=1']);
  });

  it('gives up on a request still waiting for a connection, which then never reaches the server', async () => {
    const { pool, seen } = await setUp(() => undefined, 1);
    const holding = pooledRequest(pool, post('"first"', 300));
    const queued = pooledRequest(pool, post('"second"', 50));
    await expect(queued).rejects.toThrow('timed out after 50 ms');
    await expect(holding).rejects.toThrow('timed out after 300 ms');
    // The pool's one connection is free again: a new request goes through it, the queued one did not.
    const pending = pooledRequest(pool, post('"third"', 300));
    await expect(pending).rejects.toThrow('timed out after 300 ms');
    expect(seen.map((entry) => entry.body)).toEqual(['"first"', '"third"']);
  });

  it('GETs without a body', async () => {
    const { pool, seen } = await setUp((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"u-1"}'));
    const answer = await pooledRequest(pool, { method: 'GET', path: '/users/u-1', headers: { accept: 'application/json' } });
    expect(seen).toEqual([{ method: 'GET', path: '/users/u-1', body: '' }]);
    expect(answer.body.toString('utf8')).toBe('{"id":"u-1"}');
  });

  it('cuts the request when the caller’s signal aborts, rejecting with its reason', async () => {
    const closed: string[] = [];
    const { pool } = await setUp((req, res) => res.on('close', () => closed.push(req.url ?? '')));
    const caller = new AbortController();
    const pending = pooledRequest(pool, { ...post('{}'), signal: caller.signal });
    for (let attempt = 0; attempt < 200 && pool.stats.running === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('caller gone');
    caller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    for (let attempt = 0; attempt < 200 && closed.length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toEqual(['/mcp?x=1']);
  });

  it('never sends a request whose signal has already aborted', async () => {
    const { pool, seen } = await setUp((_req, res) => res.end('{}'));
    const reason = new Error('already gone');
    await expect(pooledRequest(pool, { ...post('{}'), signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(pooledRequest(pool, post('"next"'))).resolves.toMatchObject({ status: 200 });
    expect(seen.map((entry) => entry.body)).toEqual(['"next"']);
  });

  it('refuses an answer declared larger than the limit', async () => {
    const { pool } = await setUp((_req, res) => res.writeHead(200, { 'content-length': String(2_000) }).write('{'));
    const refused = await pooledRequest(pool, { ...post('{}'), maxResponseBytes: 1_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ResponseTooLargeError);
    expect(refused).toMatchObject({ limitBytes: 1_000 });
  });

  it('refuses an undeclared answer once more than the limit has streamed in', async () => {
    const { pool } = await setUp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('x'.repeat(600));
      setImmediate(() => res.write('x'.repeat(600)));
    });
    await expect(pooledRequest(pool, { ...post('{}'), maxResponseBytes: 1_000 })).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('reads an answer of exactly the limit', async () => {
    const { pool } = await setUp((_req, res) => res.end('y'.repeat(1_000)));
    const answer = await pooledRequest(pool, { ...post('{}'), maxResponseBytes: 1_000 });
    expect(answer.body.length).toBe(1_000);
  });
});
