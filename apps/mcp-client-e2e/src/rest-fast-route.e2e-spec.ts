import http from 'node:http';
import { postJson } from '@mcp-platform/testing';
import { FacadeStack, startFacadeStack } from './support/facade-stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  status: number;
  contentType: string | undefined;
  retryAfter: string | undefined;
  requestId: string | undefined;
  body: string;
}

/**
 * One POST to the client. With a Content-Length it is served by the route in front of Fastify;
 * sent chunked (no Content-Length) the same request goes to Fastify and the Nest controller.
 */
function post(baseUrl: string, path: string, body: string, options: { chunked: boolean; headers?: Record<string, string> }): Promise<Answer> {
  const payload = Buffer.from(body, 'utf8');
  const headers = { 'content-type': 'application/json', ...options.headers, ...(options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(payload.length) }) };
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${path}`, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const requestId = response.headers['x-request-id'] as string | undefined;
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          retryAfter: response.headers['retry-after'] as string | undefined,
          // A generated id is a fresh UUID each time: compare its form, not its value.
          requestId: options.headers?.['x-request-id'] === undefined && requestId && UUID.test(requestId) ? '<generated>' : requestId,
          // A generated request id differs per request; where it appears in a body it is the same id.
          body: Buffer.concat(chunks).toString('utf8').replaceAll(requestId ?? '\u0000', '<request id>'),
        });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

describe('POST /tools/{name}/call in front of Fastify answers as the Nest controller does', () => {
  let stack: FacadeStack;

  /** The same request both ways: the answers must be identical, and are returned for further checks. */
  async function bothWays(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
    const viaRoute = await post(stack.client.baseUrl, path, body, { chunked: false, headers });
    const viaFastify = await post(stack.client.baseUrl, path, body, { chunked: true, headers });
    expect(viaRoute).toEqual(viaFastify);
    return viaRoute;
  }

  beforeAll(async () => {
    stack = await startFacadeStack();
  });

  afterEach(() => stack.clearFaults());

  afterAll(() => stack?.stop());

  it('a successful call, with the caller request id kept, and with a charset or an encoded name', async () => {
    const ok = await bothWays('/tools/get_user_profile/call', '{"user_id":"123"}', { 'x-request-id': 'route-1' });
    expect(ok).toMatchObject({ status: 200, contentType: 'application/json; charset=utf-8', requestId: 'route-1' });
    expect(JSON.parse(ok.body).structuredContent).toMatchObject({ id: '123', name: 'Ada Lovelace' });
    await bothWays('/tools/get_user_profile/call', '{"user_id":"123"}', { 'content-type': 'application/json; charset=utf-8' });
    expect((await bothWays('/tools/get%5Fuser%5Fprofile/call', '{"user_id":"123"}')).status).toBe(200);
  });

  it('passes the caller request id on to the MCP server, from the route and from the Nest controller', async () => {
    // The id travels in the request's context (withRequestId), entered by the route and by a Fastify hook.
    await post(stack.client.baseUrl, '/tools/get_user_profile/call', '{"user_id":"123"}', { chunked: false, headers: { 'x-request-id': 'forwarded-by-route' } });
    await post(stack.client.baseUrl, '/tools/get_user_profile/call', '{"user_id":"123"}', { chunked: true, headers: { 'x-request-id': 'forwarded-by-fastify' } });
    await stack.server.waitForLine(/"id":"forwarded-by-route"/);
    await stack.server.waitForLine(/"id":"forwarded-by-fastify"/);
  });

  it('an unknown tool, arguments the schema refuses, and bodies that are not an object', async () => {
    expect((await bothWays('/tools/no_such_tool/call', '{}')).status).toBe(404);
    expect((await bothWays('/tools/get_user_profile/call', '{"user_id":"../admin","verbose":true}')).status).toBe(400);
    for (const body of ['[1,2]', '"123"', 'null', '42', 'true']) expect((await bothWays('/tools/get_user_profile/call', body)).status).toBe(400);
  });

  it('malformed JSON and prototype-poisoning bodies, as Fastify refuses them', async () => {
    const bodies = [
      '{"user_id":',
      '   ',
      '{"__proto__":{"admin":true},"user_id":"123"}',
      '{"\\u005f_proto__":{"admin":true},"user_id":"123"}',
      '{"constructor":{"prototype":{"admin":true}},"user_id":"123"}',
      '{"constructor":"plain","user_id":"123"}',
      '{"user_id":"\\u0031\\u0032\\u0033"}',
    ];
    for (const body of bodies) {
      const answer = await bothWays('/tools/get_user_profile/call', body);
      expect([200, 400]).toContain(answer.status);
    }
  });

  it('the tool failing, the backend failing, and the server taking too long', async () => {
    expect((await bothWays('/tools/get_user_profile/call', '{"user_id":"999"}')).status).toBe(422);
    await postJson(`${stack.backend.baseUrl}/_control/faults`, { mode: 'error', statusCode: 503 });
    expect((await bothWays('/tools/get_user_profile/call', '{"user_id":"123"}')).status).toBe(422);
    await postJson(`${stack.backend.baseUrl}/_control/faults`, { mode: 'stall', delayMs: 3_000 });
    expect((await bothWays('/tools/get_user_profile/call', '{"user_id":"123"}')).status).toBe(504);
  });
});
