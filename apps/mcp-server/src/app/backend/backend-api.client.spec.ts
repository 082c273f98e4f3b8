import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@mcp-platform/config';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { ServerConfig } from '../config/server-config';
import { BackendApiClient, BackendUnavailableError } from './backend-api.client';

class FixedToken extends TokenProvider {
  readonly mode = 'static' as const;
  async getToken() {
    return { token: 'backend-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** A backend whose handler the test sets; it records each request and whether its connection closed before an answer. */
async function startBackend(handler: http.RequestListener) {
  const requests: { url?: string; authorization?: string; closedUnanswered: Promise<boolean> }[] = [];
  const server = http.createServer((req, res) => {
    const closedUnanswered = new Promise<boolean>((resolve) => res.once('close', () => resolve(!res.writableFinished)));
    requests.push({ url: req.url, authorization: req.headers.authorization, closedUnanswered });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return { url, requests, stop };
}

class NoToken extends TokenProvider {
  readonly mode = 'none' as const;
  async getToken() {
    return undefined;
  }
}

function clientFor(backendUrl: string, timeoutSeconds = 10, tokens: TokenProvider = new FixedToken()): BackendApiClient {
  const config = loadConfig(ServerConfig, { BACKEND_API_URL: backendUrl, BACKEND_API_TIMEOUT: String(timeoutSeconds), AZURE_SCOPES: 'api://backend/.default' });
  return new BackendApiClient(config, tokens);
}

describe('BackendApiClient', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let client: BackendApiClient;

  afterEach(async () => {
    await client?.onModuleDestroy();
    await backend?.stop();
  });

  it('GETs the path under BACKEND_API_URL with the bearer token and parses the JSON answer', async () => {
    backend = await startBackend((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"u-1","name":"Ada"}'));
    client = clientFor(`${backend.url}/api/v1`);
    await expect(client.get('users/u-1')).resolves.toEqual({ status: 200, body: { id: 'u-1', name: 'Ada' } });
    await expect(client.get('users/%2e%2e/admin')).resolves.toEqual({ status: 200, body: { id: 'u-1', name: 'Ada' } });
    expect(backend.requests.map((request) => request.url)).toEqual(['/api/v1/users/u-1', '/api/v1/admin']);
    expect(backend.requests[0].authorization).toBe('Bearer backend-token');
  });

  it('refuses a path that resolves to another origin: nothing is sent there', async () => {
    backend = await startBackend((_req, res) => res.end('{}'));
    client = clientFor(`${backend.url}/api/v1`);
    await expect(client.get('//evil.example/users')).rejects.toThrow(`backend path "//evil.example/users" resolves outside BACKEND_API_URL (${backend.url})`);
    await expect(client.get('http://evil.example/users')).rejects.toThrow('resolves outside BACKEND_API_URL');
    await expect(client.get('users?page=2')).resolves.toMatchObject({ status: 200 });
    expect(backend.requests.map((request) => request.url)).toEqual(['/api/v1/users?page=2']);
  });

  it('sends the credentials of BACKEND_API_URL as Basic auth when there is no token, and never a bearer', async () => {
    backend = await startBackend((_req, res) => res.end('{}'));
    client = clientFor(backend.url.replace('http://', 'http://svc%40corp:p%3Ass@'), 10, new NoToken());
    await client.get('users/u-1');
    expect(backend.requests[0].authorization).toBe(`Basic ${Buffer.from('svc@corp:p:ss').toString('base64')}`);
  });

  it('joins a body sent in several chunks, multi-byte characters across a chunk boundary included', async () => {
    const body = Buffer.from('{"name":"Ådå Lövelace"}');
    backend = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.subarray(0, 10));
      setTimeout(() => res.end(body.subarray(10)), 10);
    });
    client = clientFor(backend.url);
    await expect(client.get('users/u-1')).resolves.toEqual({ status: 200, body: { name: 'Ådå Lövelace' } });
  });

  it('gives up on a backend that never answers after BACKEND_API_TIMEOUT, says so and closes the request', async () => {
    backend = await startBackend(() => undefined);
    client = clientFor(backend.url, 0.2);
    const started = performance.now();
    const error = await client.get('users/u-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toBe('backend API did not answer within 0.2 s');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await expect(backend.requests[0].closedUnanswered).resolves.toBe(true);
  });

  it('cancels the backend request when the caller aborts first (a tool timeout shorter than the backend timeout)', async () => {
    backend = await startBackend(() => undefined);
    client = clientFor(backend.url, 10);
    const caller = new AbortController();
    const pending = client.get('users/u-1', caller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    caller.abort(new Error('tool timed out'));
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(BackendUnavailableError);
    await expect(backend.requests[0].closedUnanswered).resolves.toBe(true);
  });

  it('refuses an answer declared larger than 1 MiB', async () => {
    backend = await startBackend((_req, res) => res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).write('{'));
    client = clientFor(backend.url);
    await expect(client.get('users/u-1')).rejects.toThrow('backend API answered more than 1048576 bytes; refused');
  });

  it('names an unreachable backend', async () => {
    backend = await startBackend(() => undefined);
    await backend.stop();
    client = clientFor(backend.url);
    await expect(client.get('users/u-1')).rejects.toThrow('backend API unreachable (ECONNREFUSED)');
  });
});
