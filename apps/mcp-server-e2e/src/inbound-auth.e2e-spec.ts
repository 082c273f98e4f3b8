import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { httpsJson, postJson, rawRequest, RunningEntraEmulator, RunningServer, startEntraEmulator, startServer } from '@mcp-platform/testing';

const SERVER_APP = 'api://mcp-server';

describe('inbound Entra auth on the MCP endpoints (MCP_AUTH_ENABLED=true)', () => {
  let emulator: RunningEntraEmulator;
  let server: RunningServer;

  const mint = async (options: object = {}) =>
    (await emulator.control<{ token: string }>('access-token', { resource: SERVER_APP, roles: ['Tools.Call'], ...options })).token;

  const list = (token?: string) =>
    postJson(`${server.baseUrl}/_mcp/messages`, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    server = await startServer({
      ...emulator.tokenVerifierEnv(),
      MCP_AUTH_ENABLED: 'true',
      MCP_AUTH_AUDIENCES: SERVER_APP,
      MCP_AUTH_REQUIRED_ROLES: 'Tools.Call',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await emulator?.stop();
  });

  it('answers 401 with a WWW-Authenticate challenge that points at the RFC 9728 metadata', async () => {
    const response = await list();
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
    expect(metadataUrl).toBe(`${server.baseUrl}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toMatchObject({ resource: `${server.baseUrl}/mcp`, authorization_servers: [emulator.issuer()] });
  });

  it('lets a caller in with a good token, on both endpoints', async () => {
    const token = await mint();
    expect((await list(token)).json.result.tools.length).toBeGreaterThan(0);
    const client = new Client({ name: 'authed', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.baseUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('get_user_profile');
    await client.close();
  });

  const forged: Array<[string, number, () => Promise<string>]> = [
    ['a token for another audience', 401, () => mint({ resource: 'api://mcp-sample-backend' })],
    ['a token from another tenant', 401, () => mint({ claims: { iss: 'https://login.microsoftonline.com/ffffffff-0000-0000-0000-00000000dead/v2.0' } })],
    ['an expired token', 401, () => mint({ expiresInSeconds: -600 })],
    ['a token signed with a foreign key', 401, () => mint({ foreignKey: true })],
    ['a token whose kid is not published', 401, () => mint({ foreignKey: true, kid: 'no-such-key' })],
    ['alg: none', 401, async () => reSign(await mint(), 'none')],
    ['HS256 signed with the public key', 401, async () => reSign(await mint(), 'HS256')],
    ['an oversized token', 401, async () => 'x'.repeat(12_000)],
    ['a token without the Tools.Call role', 403, () => mint({ roles: ['Users.Read'] })],
  ];

  it.each(forged)('refuses %s with %i', async (_label, status, makeToken) => {
    const response = await list(await makeToken());
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toMatch(status === 403 ? /error="insufficient_scope"/ : /error="invalid_token"/);
  });

  it('honours the documented 60 s clock skew on exp: expired 30 s ago is let in, 90 s ago is not', async () => {
    expect((await list(await mint({ expiresInSeconds: -30 }))).status).toBe(200);
    const late = await list(await mint({ expiresInSeconds: -90 }));
    expect(late.status).toBe(401);
    expect(late.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="[^"]*exp/);
  });

  it('answers 401 in the one error body, the challenge in the header only', async () => {
    const response = await list();
    expect(response.json).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: 'invalid_token: Missing Authorization header' }, id: null });
  });

  it('serves the metadata only for an allowed Host, and says it varies by Host', async () => {
    const metadataPath = '/.well-known/oauth-protected-resource/mcp';
    const allowed = await rawRequest(`${server.baseUrl}${metadataPath}`, { headers: { host: `localhost:${server.port}` } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['vary']).toMatch(/\bHost\b/);
    expect(JSON.parse(allowed.text)).toMatchObject({ resource: `http://localhost:${server.port}/mcp` });
    const foreign = await rawRequest(`${server.baseUrl}${metadataPath}`, { headers: { host: 'evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['vary']).toMatch(/\bHost\b/);
    expect(foreign.text).not.toContain('"resource"');
    expect((await rawRequest(`${server.baseUrl}${metadataPath}`, { headers: { host: 'evil@localhost' } })).status).toBe(400);
  });

  it('never puts a foreign Host into the challenge', async () => {
    const response = await rawRequest(`${server.baseUrl}/_mcp/messages`, {
      method: 'POST',
      headers: { host: 'evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'tools/list' }),
    });
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.text).not.toContain('evil.example/');
  });

  it('refuses an absurdly large authorization header before reading it', async () => {
    expect((await list('x'.repeat(20_000))).status).toBe(431);
  });

  it('keeps health and metrics open for probes', async () => {
    expect((await fetch(`${server.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(200);
  });

  it('never logs a token or the authorization header', async () => {
    const token = await mint();
    await list(token);
    await list(`${token}tampered`);
    const logs = server.lines.join('\n');
    expect(logs).not.toContain(token.split('.')[2]);
    expect(logs).not.toMatch(/authorization/i);
  });

  describe('with MCP_PUBLIC_URL', () => {
    const publicUrl = 'https://mcp.example.com/tenant-a';
    let published: RunningServer;

    beforeAll(async () => {
      published = await startServer({
        ...emulator.tokenVerifierEnv(),
        MCP_AUTH_ENABLED: 'true',
        MCP_PUBLIC_URL: `${publicUrl}/`,
      });
    });

    afterAll(() => published?.stop());

    it('builds the metadata and the challenge from it, whatever allowed Host the request came with', async () => {
      const challenge = (await postJson(`${published.baseUrl}/_mcp/messages`, { method: 'tools/list' })).headers.get('www-authenticate') ?? '';
      expect(/resource_metadata="([^"]+)"/.exec(challenge)?.[1]).toBe(`${publicUrl}/.well-known/oauth-protected-resource/mcp`);
      const metadata = await (await fetch(`${published.baseUrl}/.well-known/oauth-protected-resource/mcp`)).json();
      expect(metadata).toMatchObject({ resource: `${publicUrl}/mcp`, authorization_servers: [emulator.issuer()] });
    });
  });

  async function reSign(token: string, alg: 'none' | 'HS256'): Promise<string> {
    const [, payload] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    if (alg === 'none') return `${header}.${payload}.`;
    const jwks = await httpsJson<{ keys: object[] }>(emulator.jwksUri(), readFileSync(emulator.caCertPath));
    const secret = JSON.stringify(jwks.keys[0]);
    return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
  }
});
