import { rawRequest, RunningServer, startClient, waitForLog } from '@mcp-platform/testing';
import { FixtureServer, startV2Server } from './support/sdk-servers';

const CALL = { 'content-type': 'application/json' };
const ARGUMENTS = JSON.stringify({ text: 'hello' });

/** DNS rebinding: a page on evil.example whose name now resolves to the client, or any page posting cross-site. */
describe('the facade refuses foreign Hosts and Origins (MCP_CLIENT_ALLOWED_HOSTS / _ORIGINS)', () => {
  let fixture: FixtureServer;
  let client: RunningServer;
  const url = (path: string) => `${client.baseUrl}${path}`;

  beforeAll(async () => {
    fixture = await startV2Server();
    client = await startClient({ MCP_SERVER_URL: fixture.baseUrl, DISCOVERY_INTERVAL: '300', MCP_CLIENT_ALLOWED_ORIGINS: 'localhost,app.contoso.example' });
    await waitForLog(client, /^Discovered \d+ tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await fixture?.close();
  });

  // The call route is served in front of Fastify, the rest by Fastify: the door stands before both.
  const guarded: Array<[string, string, Record<string, string>, string | undefined]> = [
    ['POST /tools/echo/call (the fast route)', 'POST', CALL, ARGUMENTS],
    ['POST /tools/echo/call as text/plain (Fastify)', 'POST', { 'content-type': 'text/plain' }, ARGUMENTS],
    ['GET /tools', 'GET', {}, undefined],
    ['GET /docs-json', 'GET', {}, undefined],
    ['GET /docs', 'GET', {}, undefined],
    ['GET /no-such-route', 'GET', {}, undefined],
  ];

  it.each(guarded)('refuses %s with a foreign Host: 403 in the facade error shape', async (label, method, headers, body) => {
    const path = label.split(' ')[1];
    const response = await rawRequest(url(path), { method, headers: { ...headers, host: 'evil.example:8000' }, body });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.text)).toEqual({ error: 'host_not_allowed', message: 'Forbidden: Host evil.example is not allowed' });
  });

  it.each(guarded)('refuses %s with a foreign Origin', async (label, method, headers, body) => {
    const path = label.split(' ')[1];
    const response = await rawRequest(url(path), { method, headers: { ...headers, origin: 'https://evil.example' }, body });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'host_not_allowed', message: expect.stringContaining('Invalid Origin: evil.example') });
  });

  it('calls a tool for an allowed Host and Origin', async () => {
    const response = await rawRequest(url('/tools/echo/call'), { method: 'POST', headers: { ...CALL, host: `localhost:${client.port}`, origin: 'https://app.contoso.example' }, body: ARGUMENTS });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ content: [{ type: 'text', text: 'hello' }] });
  });

  it.each(['evil@localhost:8000', 'localhost/x', 'localhost:8000#'])('refuses the malformed Host %p with 400, as the server does', async (host) => {
    const response = await rawRequest(url('/tools'), { headers: { host } });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({ error: 'bad_request', message: `Bad Request: malformed Host header ${JSON.stringify(host)}` });
  });

  it('keeps the default Service name allowed (the in-cluster Host)', async () => {
    expect((await rawRequest(url('/tools'), { headers: { host: 'mcp-client:8000' } })).status).toBe(200);
  });

  it.each(['/health/live', '/health/ready', '/metrics'])('answers %s whatever the Host: the kubelet probes with the pod IP', async (path) => {
    const response = await rawRequest(url(path), { headers: { host: '10.244.1.17:8000' } });
    expect(response.status).toBe(200);
  });

  it('guards a probe path spelled another way', async () => {
    expect((await rawRequest(url('/health/%6cive'), { headers: { host: '10.244.1.17:8000' } })).status).toBe(403);
  });
});
