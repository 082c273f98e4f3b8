import { getJson, postJson, rawRequest, RunningEntraEmulator, RunningServer, startClient, startEntraEmulator, waitForLog } from '@mcp-platform/testing';
import { FixtureServer, startV2Server } from './support/sdk-servers';

const CLIENT_APP = 'api://mcp-client';
const UAMI = '11111111-1111-1111-1111-111111111111';

/**
 * Without inbound auth, whoever reaches the facade calls tools with the client's own identity,
 * which the server's MCP_AUTH_ENABLED cannot tell apart. With MCP_CLIENT_AUTH_ENABLED the facade
 * asks for an Entra token of its own, checked by the server's verifier.
 */
describe('inbound Entra auth on the facade (MCP_CLIENT_AUTH_ENABLED=true)', () => {
  let emulator: RunningEntraEmulator;
  let fixture: FixtureServer;
  let client: RunningServer;

  const mint = async (options: object = {}) =>
    (await emulator.control<{ token: string }>('access-token', { resource: CLIENT_APP, roles: ['Tools.Call'], ...options })).token;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (headers: Record<string, string> = {}) => postJson(`${client.baseUrl}/tools/echo/call`, { text: 'hello' }, headers);

  beforeAll(async () => {
    emulator = await startEntraEmulator({
      resources: [
        { appIdUri: CLIENT_APP, grants: { [UAMI]: ['Tools.Call'] } },
        { appIdUri: 'api://mcp-server', grants: { [UAMI]: ['Tools.Call'] } },
      ],
    });
    fixture = await startV2Server();
    client = await startClient({
      MCP_SERVER_URL: fixture.baseUrl,
      DISCOVERY_INTERVAL: '300',
      ...emulator.tokenVerifierEnv(),
      MCP_CLIENT_AUTH_ENABLED: 'true',
      MCP_CLIENT_AUTH_AUDIENCES: CLIENT_APP,
      MCP_CLIENT_AUTH_REQUIRED_ROLES: 'Tools.Call',
    });
    await waitForLog(client, /^Discovered \d+ tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await fixture?.close();
    await emulator?.stop();
  });

  it.each([
    ['POST /tools/echo/call', () => call()],
    ['GET /tools', () => getJson(`${client.baseUrl}/tools`)],
    ['GET /docs-json', () => getJson(`${client.baseUrl}/docs-json`)],
  ])('answers %s without a token with 401, a challenge pointing at the RFC 9728 metadata, and the facade error shape', async (_label, request) => {
    const response = await request();
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: 'invalid_token', message: 'an Authorization: Bearer token is required' });
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="invalid_token", /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${client.baseUrl}/.well-known/oauth-protected-resource/tools`);
    const metadata = await getJson(metadataUrl as string);
    expect(metadata.json).toEqual({
      resource: `${client.baseUrl}/tools`,
      authorization_servers: [emulator.issuer()],
      bearer_methods_supported: ['header'],
      scopes_supported: [`${CLIENT_APP}/.default`],
      resource_name: 'mcp-client',
    });
  });

  it('lets a caller with a good token list and call tools', async () => {
    const token = await mint();
    const catalogue = await getJson(`${client.baseUrl}/tools`, bearer(token));
    expect(catalogue.json.tools.map((tool: { name: string }) => tool.name)).toContain('echo');
    const result = await call(bearer(token));
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ content: [{ type: 'text', text: 'hello' }] });
    // A body Fastify parses (not the fast route's shape) meets the same door.
    const viaFastify = await postJson(`${client.baseUrl}/tools/echo/call`, '{"text":"\\u0068i"}', bearer(token));
    expect(viaFastify.json).toMatchObject({ content: [{ type: 'text', text: 'hi' }] });
  });

  const refused: Array<[string, number, string, () => Promise<string>]> = [
    ['a token for the server, not the client', 401, 'invalid_token', () => mint({ resource: 'api://mcp-server' })],
    ['an expired token', 401, 'invalid_token', () => mint({ expiresInSeconds: -600 })],
    ['a token signed with a foreign key', 401, 'invalid_token', () => mint({ foreignKey: true })],
    ['a token from another tenant', 401, 'invalid_token', () => mint({ claims: { iss: 'https://login.microsoftonline.com/ffffffff-0000-0000-0000-00000000dead/v2.0' } })],
    ['a token without the Tools.Call role', 403, 'insufficient_scope', () => mint({ roles: ['Users.Read'] })],
  ];

  it.each(refused)('refuses %s with %i and says why', async (_label, status, code, makeToken) => {
    const response = await call(bearer(await makeToken()));
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ error: code, message: expect.any(String) });
    expect(response.headers.get('www-authenticate')).toContain(`error="${code}"`);
    expect(response.text).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await call({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(response.json.message).toBe("the Authorization header must be 'Bearer <token>'");
  });

  it('checks the Host before the token', async () => {
    const response = await rawRequest(`${client.baseUrl}/tools`, { headers: { host: 'evil.example', ...bearer(await mint()) } });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'host_not_allowed' });
  });

  it('keeps health, metrics and the Swagger UI page open', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs', '/docs/swagger-ui.css']) {
      expect([path, (await fetch(`${client.baseUrl}${path}`)).status]).toEqual([path, 200]);
    }
  });

  it('never logs a token', async () => {
    const token = await mint();
    await call(bearer(token));
    await call(bearer(`${token}tampered`));
    expect(client.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});
