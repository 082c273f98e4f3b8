import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson, RunningServer, startServer } from '@mcp-platform/testing';

const PASSWORD = 'pa55-w0rd-in-url';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.query-token';

/** A backend behind Basic auth, as a real HTTP server: /health answers 200 only with the right credentials. */
async function startBasicAuthBackend() {
  const expected = `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`;
  const seen: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(req.headers.authorization === expected ? 200 : 401, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('credentials in configured URLs and tokens in query strings stay inside the server', () => {
  let backend: Awaited<ReturnType<typeof startBasicAuthBackend>>;
  let server: RunningServer;

  beforeAll(async () => {
    backend = await startBasicAuthBackend();
    server = await startServer({ BACKEND_API_URL: `http://svc:${PASSWORD}@127.0.0.1:${backend.port}/api`, READINESS_CHECK_BACKEND: 'true', READINESS_CACHE_TTL: '0', LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.close();
  });

  it('checks a backend behind Basic auth for readiness, and shows its URL without the password', async () => {
    const ready = await getJson(`${server.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json.info['backend-api']).toEqual({ status: 'up', url: `http://127.0.0.1:${backend.port}/api/health` });
    expect(backend.seen.at(-1)).toMatch(/^Basic /);
    expect(JSON.stringify(ready.json)).not.toContain(PASSWORD);
  });

  it('says why readiness fails without the password either', async () => {
    await backend.close();
    const unready = await getJson(`${server.baseUrl}/health/ready`);
    expect(unready.status).toBe(503);
    expect(unready.json.error['backend-api']).toMatchObject({ status: 'down', url: `http://127.0.0.1:${backend.port}/api/health` });
    expect(JSON.stringify(unready.json)).not.toContain(PASSWORD);
  });

  it('logs requests without their query string, and no line holds the password or the token', async () => {
    await getJson(`${server.baseUrl}/health/live?access_token=${TOKEN}`);
    await getJson(`${server.baseUrl}/mcp?access_token=${TOKEN}`);
    const logged = await server.waitForLine(/"url":"\/mcp\?\[redacted\]"/);
    expect(JSON.parse(logged).req.url).toBe('/mcp?[redacted]');
    const everything = server.lines.join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(PASSWORD);
  });
});
