import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { type Emulator, postToken, rawRequest, startTestEmulator, TENANT } from './test-support';

/** The HTTP surface as a non-MSAL client sees it: discovery, keys, error shapes, fault injection, stats. */
describe('emulator endpoints and fault injection', () => {
  let emulator: Emulator;
  let assertion: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ refreshInSeconds: 1_800 });
    assertion = await emulator.mintServiceAccountToken({ namespace: 'mcp-system', serviceAccount: 'mcp-server' });
  });

  afterAll(() => emulator?.close());

  afterEach(() => emulator.reset());

  const expectEntraError = (json: Record<string, unknown>, code: number, error: string) => {
    expect(json).toMatchObject({ error, error_codes: [code] });
    expect(json['error_description']).toMatch(new RegExp(`^AADSTS${code}: .+ Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`));
    expect(json['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(json['trace_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(json['correlation_id']).toMatch(/^[0-9a-f-]{36}$/);
  };

  it('is served over HTTPS by a certificate only its own CA vouches for', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      https.get(`${emulator.authorityHost}/${TENANT}/v2.0/.well-known/openid-configuration`, { agent: false }, () => resolve(new Error('trusted'))).on('error', resolve);
    });
    expect(error.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('publishes the v2.0 and v1 discovery documents and the JWKS', async () => {
    const v2 = await rawRequest(emulator, `/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(v2.status).toBe(200);
    expect(v2.json).toMatchObject({
      issuer: `${emulator.authorityHost}/${TENANT}/v2.0`,
      token_endpoint: `${emulator.authorityHost}/${TENANT}/oauth2/v2.0/token`,
      jwks_uri: emulator.jwksUri(TENANT),
      authorization_endpoint: `${emulator.authorityHost}/${TENANT}/oauth2/v2.0/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const v1 = await rawRequest(emulator, `/${TENANT}/.well-known/openid-configuration`);
    expect(v1.json).toMatchObject({ token_endpoint: `${emulator.authorityHost}/${TENANT}/oauth2/token`, jwks_uri: `${emulator.authorityHost}/${TENANT}/discovery/keys` });

    const keys = await rawRequest(emulator, `/${TENANT}/discovery/v2.0/keys`);
    const common = await rawRequest(emulator, '/common/discovery/v2.0/keys');
    expect(keys.json.keys).toHaveLength(1);
    expect(keys.json.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', issuer: emulator.issuer(TENANT) });
    expect(keys.json.keys[0].kid).toBe(keys.json.keys[0].x5t);
    expect(common.json.keys[0]).toMatchObject({ kid: keys.json.keys[0].kid, issuer: `${emulator.authorityHost}/{tenantid}/v2.0` });
    expect(emulator.stats().hits).toMatchObject({ discovery: 2, keys: 2, token: 0 });
  });

  it('answers discovery for an unknown tenant (as MSAL never asks the real cloud) but rejects it elsewhere with AADSTS90002', async () => {
    const discovery = await rawRequest(emulator, '/unknown-tenant/v2.0/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    const keys = await rawRequest(emulator, '/unknown-tenant/discovery/v2.0/keys');
    expect(keys.status).toBe(400);
    expectEntraError(keys.json, 90002, 'invalid_tenant');
    const token = await postToken(emulator, { client_assertion: assertion }, 'unknown-tenant');
    expect(token.status).toBe(400);
    expectEntraError(token.json, 90002, 'invalid_request');
    expect(token.json.error_description).toContain("Tenant 'unknown-tenant' not found.");
  });

  it('with strictTenantDiscovery, answers discovery for an unknown tenant as Entra does', async () => {
    const strict = await startTestEmulator({ strictTenantDiscovery: true });
    try {
      const discovery = await rawRequest(strict, '/unknown-tenant/v2.0/.well-known/openid-configuration');
      expect(discovery.status).toBe(400);
      expectEntraError(discovery.json, 90002, 'invalid_tenant');
    } finally {
      await strict.close();
    }
  });

  it('answers a client-credentials request with Entra fields, including refresh_in when configured', async () => {
    const response = await postToken(emulator, { client_assertion: assertion });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, refresh_in: 1800 });
    expect(typeof response.json.access_token).toBe('string');
  });

  it.each([
    ['an unsupported grant type', { grant_type: 'password' }, 400, 70003, 'unsupported_grant_type'],
    ['a missing scope', { scope: '' }, 400, 900144, 'invalid_request'],
    ['a scope without /.default', { scope: 'api://mcp-sample-backend/Users.Read' }, 400, 1002012, 'invalid_scope'],
    ['a missing assertion', { client_assertion: '' }, 401, 7000218, 'invalid_client'],
    ['a malformed assertion', { client_assertion: 'not-a-jwt' }, 400, 50027, 'invalid_request'],
  ])('rejects %s in Entra shape', async (_label, params, status, code, error) => {
    const response = await postToken(emulator, { client_assertion: assertion, ...params });
    expect(response.status).toBe(status);
    expectEntraError(response.json, code, error);
    expect(emulator.stats()).toMatchObject({ tokenRequests: 1, tokenErrors: 1, errorCodes: { [code]: 1 } });
  });

  it('echoes the client-request-id as the correlation id', async () => {
    const response = await rawRequest(emulator, `/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': '0f0e0d0c-0b0a-4908-8706-050403020100' },
      body: 'grant_type=client_credentials',
    });
    expect(response.json.correlation_id).toBe('0f0e0d0c-0b0a-4908-8706-050403020100');
    expect(response.headers['client-request-id']).toBe('0f0e0d0c-0b0a-4908-8706-050403020100');
  });

  it("'throttle' answers 429 with Retry-After and an AADSTS body", async () => {
    emulator.setFaults({ mode: 'throttle', retryAfterSeconds: 7, endpoints: ['token'] });
    const response = await postToken(emulator, { client_assertion: assertion });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
    expectEntraError(response.json, 50196, 'temporarily_unavailable');
    // Only the listed endpoints are affected.
    expect((await rawRequest(emulator, `/${TENANT}/discovery/v2.0/keys`)).status).toBe(200);
  });

  it("'error' answers 500 server_error (or 503 temporarily_unavailable) in Entra shape", async () => {
    emulator.setFaults({ mode: 'error' });
    const serverError = await postToken(emulator, { client_assertion: assertion });
    expect(serverError.status).toBe(500);
    expectEntraError(serverError.json, 50000, 'server_error');
    expect((await rawRequest(emulator, `/${TENANT}/v2.0/.well-known/openid-configuration`)).status).toBe(500);

    emulator.setFaults({ mode: 'error', statusCode: 503, retryAfterSeconds: 2 });
    const unavailable = await postToken(emulator, { client_assertion: assertion });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('2');
    expectEntraError(unavailable.json, 90033, 'temporarily_unavailable');
  });

  it("'down' resets the connection without answering", async () => {
    emulator.setFaults({ mode: 'down', endpoints: ['token'] });
    const error = await postToken(emulator, { client_assertion: assertion }).then(
      () => undefined,
      (reason: NodeJS.ErrnoException) => reason,
    );
    expect(error?.code).toBe('ECONNRESET');
    expect(emulator.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 0, faultsInjected: 1 });
  });

  it("'latency' delays the answer by latencyMs", async () => {
    const baseline = await postToken(emulator, { client_assertion: assertion });
    emulator.setFaults({ mode: 'latency', latencyMs: 400, endpoints: ['token'] });
    const slow = await postToken(emulator, { client_assertion: assertion });
    expect(slow.status).toBe(200);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(390);
    expect(slow.elapsedMs - baseline.elapsedMs).toBeGreaterThanOrEqual(350);
  });

  it('takes the same controls over HTTP: faults, stats and reset', async () => {
    const set = await rawRequest(emulator, '/_control/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'throttle', retryAfterSeconds: 3 }),
    });
    expect(set.json).toEqual({ faults: { mode: 'throttle', retryAfterSeconds: 3 } });
    expect((await postToken(emulator, { client_assertion: assertion })).status).toBe(429);

    const stats = await rawRequest(emulator, '/_control/stats');
    expect(stats.json).toMatchObject({ hits: { token: 1 }, tokenRequests: 1, tokensIssued: 0, tokenErrors: 1 });

    const bad = await rawRequest(emulator, '/_control/faults', { method: 'POST', body: '{"mode":"sideways"}' });
    expect(bad.status).toBe(400);

    const reset = await rawRequest(emulator, '/_control/reset', { method: 'POST' });
    expect(reset.json).toMatchObject({ faults: { mode: 'ok' }, stats: { tokenRequests: 0, tokensIssued: 0, tokenErrors: 0 } });
    expect((await postToken(emulator, { client_assertion: assertion })).status).toBe(200);
    expect(emulator.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 1, tokenErrors: 0 });
  });

  it('mints access and service-account tokens over HTTP for other processes', async () => {
    const post = (action: string, body: object) =>
      rawRequest(emulator, `/_control/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const access = await post('access-token', { resource: 'api://mcp-server', expiresInSeconds: 60 });
    expect(access.json.claims).toMatchObject({ aud: 'api://mcp-server', roles: ['Tools.Call'], iss: emulator.issuer(TENANT) });
    expect(access.json.claims.exp - access.json.claims.iat).toBe(60);

    const written = await post('service-account-token', { namespace: 'mcp-system', serviceAccount: 'mcp-server', file: 'tokens/http/token' });
    expect(written.json.file).toBe(path.join(emulator.stateDir, 'tokens/http/token'));
    expect(fs.readFileSync(written.json.file, 'utf8')).toBe(written.json.token);
    expect((await postToken(emulator, { client_assertion: written.json.token })).status).toBe(200);

    const outside = await post('service-account-token', { namespace: 'a', serviceAccount: 'b', file: '/etc/evil' });
    expect(outside.status).toBe(400);
  });
});
