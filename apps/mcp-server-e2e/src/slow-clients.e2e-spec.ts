import net from 'node:net';
import { RunningServer, startServer } from '@mcp-platform/testing';

/** Opens a raw connection, sends `prefix`, then one byte now and then; resolves when the server closes it. */
function trickle(port: number, prefix: string, everyMs: number, maxMs: number): Promise<{ closedAfterMs: number; reply: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(prefix));
    let reply = '';
    const drip = setInterval(() => socket.write('X'), everyMs);
    const giveUp = setTimeout(() => {
      clearInterval(drip);
      socket.destroy();
      reject(new Error(`the server kept a slow client for more than ${maxMs} ms`));
    }, maxMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: performance.now() - started, reply });
    });
  });
}

describe('slow clients (slowloris) are cut off', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ HTTP_HEADERS_TIMEOUT: '1', HTTP_REQUEST_TIMEOUT: '2', HTTP_KEEP_ALIVE_TIMEOUT: '1' });
  });

  afterAll(() => server?.stop());

  it('closes a connection whose headers never end', async () => {
    const { closedAfterMs, reply } = await trickle(server.port, 'POST /mcp HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 200, 8_000);
    expect(closedAfterMs).toBeLessThan(4_000);
    expect(reply).toMatch(/^HTTP\/1.1 408|^$/);
  });

  it('closes a connection whose body never ends', async () => {
    const head = 'POST /_mcp/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{';
    const { closedAfterMs } = await trickle(server.port, head, 200, 8_000);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('closes an idle keep-alive connection', async () => {
    const started = performance.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(performance.now() - started));
    });
    expect(closed).toBeLessThan(4_000);
  });

  it('keeps serving everyone else meanwhile', async () => {
    const slow = trickle(server.port, 'POST /mcp HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 100, 8_000);
    const response = await fetch(`${server.baseUrl}/health/live`);
    expect(response.status).toBe(200);
    await slow;
  });
});
