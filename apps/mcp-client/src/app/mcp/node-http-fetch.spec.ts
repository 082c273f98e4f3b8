import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHttpFetch } from './node-http-fetch';

describe('createNodeHttpFetch (the SDK transport fetch on node:http)', () => {
  const fetchLike = createNodeHttpFetch();
  let server: http.Server;
  let baseUrl: string;
  let releaseStream: () => void = () => undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/echo') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
          res.end(JSON.stringify({ method: req.method, auth: req.headers['authorization'], body: Buffer.concat(chunks).toString('utf8') }));
        });
        return;
      }
      if (req.url === '/events') {
        // The first event goes out at once; the stream ends only when the test says so.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"first":true}\n\n');
        releaseStream = () => res.end('data: {"last":true}\n\n');
        return;
      }
      if (req.url === '/hang') return; // never answers
      res.writeHead(204);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and answers a Response with status, headers and JSON', async () => {
    const response = await fetchLike(new URL(`${baseUrl}/echo`), {
      method: 'POST',
      headers: new Headers({ authorization: 'Bearer t', 'content-type': 'application/json' }),
      body: '{"jsonrpc":"2.0"}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"jsonrpc":"2.0"}' });
  });

  it('streams an event stream: the first event is readable before the response ends', async () => {
    const response = await fetchLike(`${baseUrl}/events`, { method: 'GET' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"first":true');
    releaseStream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('"last":true');
  });

  it('gives a body-less Response for 204', async () => {
    const response = await fetchLike(`${baseUrl}/nothing`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('fails as fetch does when nothing listens: TypeError "fetch failed" with the socket error as cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await fetchLike(`http://127.0.0.1:${port}/`, { method: 'GET' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('rejects with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const pending = fetchLike(`${baseUrl}/hang`, { method: 'GET', signal: controller.signal });
    const reason = new Error('timed out');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('refuses bodies the SDK never sends rather than sending them wrong', async () => {
    await expect(fetchLike(`${baseUrl}/echo`, { method: 'POST', body: new FormData() })).rejects.toThrow(/only string and byte bodies/);
  });
});
