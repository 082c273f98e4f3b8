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

describe('createNodeHttpFetch with a maxResponseBytes cap', () => {
  const LIMIT = 1024;
  const fetchLike = createNodeHttpFetch(LIMIT);
  let server: http.Server;
  let baseUrl: string;
  const event = (size: number) => `data: ${'x'.repeat(size)}\n\n`;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/declared') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'x'.repeat(LIMIT) }));
      if (req.url === '/chunked-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 10; i += 1) res.write(`"${'x'.repeat(200)}",`);
        return void res.end('0');
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Many events, each under the cap, far over it in total (as a stream that lives for hours).
      if (req.url === '/small-events') return void res.end(Array.from({ length: 20 }, () => event(500)).join(''));
      res.write(event(500));
      res.end(event(LIMIT + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(['/declared', '/chunked-json'])('errors the body of a JSON answer over the cap (%s), naming the setting', async (path) => {
    const response = await fetchLike(`${baseUrl}${path}`, { method: 'GET' });
    await expect(response.text()).rejects.toThrow(`the MCP server's answer is larger than MCP_MAX_RESPONSE_BYTES (${LIMIT} bytes)`);
  });

  it('measures an event stream per event: small events pass whatever their total, one large event is cut', async () => {
    const small = await fetchLike(`${baseUrl}/small-events`, { method: 'GET' });
    expect((await small.text()).length).toBe(20 * event(500).length);
    const large = await fetchLike(`${baseUrl}/large-event`, { method: 'GET' });
    await expect(large.text()).rejects.toThrow(/MCP_MAX_RESPONSE_BYTES/);
  });
});
