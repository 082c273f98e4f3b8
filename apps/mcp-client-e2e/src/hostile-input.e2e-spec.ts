import fc from 'fast-check';
import { Agent } from 'node:http';
import { rawHttpExchange, rawRequest } from '@mcp-platform/testing';
import { FacadeStack, startFacadeStack } from './support/facade-stack';

const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+|node_modules|\/src\/|\.ts:\d+/;
const RUNS = Number(process.env['HOSTILE_INPUT_RUNS'] ?? 300);

const methods = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.stringMatching(/^[A-Z]{1,10}$/));
const paths = fc.oneof(
  fc.constantFrom(
    '/tools',
    '/tools/',
    '/tools/get_user_profile/call',
    '/tools/get_user_profile/call?x=1',
    '/tools/no_such_tool/call',
    '/tools/%zz/call',
    '/tools//call',
    '/tools/get_user_profile',
    '/health/live',
    '/health/ready',
    '/metrics',
    '/docs',
    '/docs-json',
    '/docs/swagger-initializer.js',
    '/nope',
    '/%',
    '//',
  ),
  fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)),
);
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json;;; q=x',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
);
const bodies = fc.oneof(
  fc.record({ user_id: fc.oneof(fc.constant('123'), fc.string({ maxLength: 20 }), fc.anything()) }, { requiredKeys: [] }).map((value) => Buffer.from(JSON.stringify(value))),
  fc.json().map((text) => Buffer.from(text)),
  fc.string({ maxLength: 200 }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.alloc(0)),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);
const extraHeaders = fc.record(
  {
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x-unknown'),
    'x-request-id': fc.string({ maxLength: 40 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
  },
  { requiredKeys: [] },
);

/** What every error the facade answers must look like: `{ error, message, details? }`, JSON. */
function expectErrorShape(status: number, text: string): void {
  if (status < 400) return;
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body['error']).toMatch(/^[a-z0-9_]+$/);
  expect(typeof body['message']).toBe('string');
  expect(Object.keys(body).filter((key) => !['error', 'message', 'details'].includes(key))).toEqual([]);
}

describe('hostile input on the REST facade (property-based)', () => {
  let stack: FacadeStack;

  beforeAll(async () => {
    stack = await startFacadeStack();
  });

  afterEach(() => stack.clearFaults());

  afterAll(() => stack?.stop());

  it('every method, path, header and body gets a 2xx-4xx, never a 500, a stack trace or a body that is not JSON', async () => {
    const { client } = stack;
    await fc.assert(
      fc.asyncProperty(methods, paths, contentTypes, bodies, extraHeaders, async (method, path, contentType, body, headers) => {
        const sent: Record<string, string> = { ...headers };
        if (contentType) sent['content-type'] = contentType;
        const withBody = method !== 'GET' && method !== 'HEAD';
        // A fresh keep-alive connection per request: no answer leaves the next request a stale socket,
        // and the facade reads (rather than resets) a body it answered without needing.
        const agent = new Agent({ keepAlive: true });
        const response = await rawRequest(`${client.baseUrl}${path}`, { method, headers: sent, body: withBody ? body : undefined, agent }).finally(() => agent.destroy());
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(500);
        expect(response.text).not.toMatch(STACK_TRACE);
        if (method !== 'HEAD') expectErrorShape(response.status, response.text);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 90_000, verbose: 1 },
    );
    expect((await fetch(`${client.baseUrl}/health/live`)).status).toBe(200);
    expect(client.child.exitCode).toBeNull();
  }, 120_000);

  it.each([
    ['POST', '/tools/get_user_profile/call', 'text/plain', '{"user_id":"123"}', 415, 'unsupported_media_type'],
    ['POST', '/tools/get_user_profile/call', 'application/json', '{"user_id":', 400, 'bad_request'],
    ['POST', '/tools/get_user_profile/call', 'application/x-www-form-urlencoded', 'user_id=123', 415, 'unsupported_media_type'],
    ['POST', '/health/live', 'application/json', '{"user_id":', 400, 'bad_request'],
    ['GET', '/no/such/route', '', '', 404, 'not_found'],
    ['DELETE', '/tools', '', '', 404, 'not_found'],
    ['POST', '/metrics', 'text/plain', 'x', 404, 'not_found'],
  ])('%s %s (%p, body %p) answers %i %s in the one error shape', async (method, path, contentType, body, status, error) => {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const response = await rawRequest(`${stack.client.baseUrl}${path}`, { method, headers, body: body || undefined });
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text)).toEqual({ error, message: expect.any(String) });
  });

  it.each(['/tools/get_user_profile/call', '/health/live', '/nope'])('%s: a body declared over the limit is 413 payload_too_large', async (path) => {
    const answer = await rawHttpExchange(
      stack.client.port,
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${5 * 1024 * 1024}\r\nConnection: close\r\n\r\n{"user_id":"`,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: 'payload_too_large', message: expect.any(String) });
  });
});
