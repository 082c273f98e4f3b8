import { WorkloadIdentityCredential } from '@azure/identity';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import path from 'node:path';
import tls from 'node:tls';
import { type Emulator, OTHER_APP_CLIENT_ID, startTestEmulator, TENANT, UAMI_CLIENT_ID } from './test-support';

/**
 * The real @azure/identity WorkloadIdentityCredential (MSAL node underneath) against the emulator,
 * in this process: the emulator's CA is added to Node's default trust store with
 * tls.setDefaultCACertificates (Node 24), which @azure/identity's HTTP pipeline and fetch both use.
 */
describe('WorkloadIdentityCredential against the emulator', () => {
  let emulator: Emulator;
  let originalCAs: string[];
  let tokenDir: string;
  let counter = 0;

  beforeAll(async () => {
    emulator = await startTestEmulator({ tokenLifetimeSeconds: 5 });
    tokenDir = path.join(emulator.stateDir, 'tokens');
    originalCAs = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...originalCAs, emulator.caCert]);
  });

  afterAll(async () => {
    if (originalCAs) tls.setDefaultCACertificates(originalCAs);
    await emulator?.close();
  });

  afterEach(() => emulator.reset());

  /** A token file as the webhook projects it, and a fresh credential reading it (fresh MSAL cache). */
  async function credentialFor(sa: Parameters<Emulator['writeServiceAccountToken']>[1], options: { tenantId?: string; clientId?: string } = {}) {
    counter += 1;
    const tokenFilePath = path.join(tokenDir, `sa-${counter}`, 'token');
    await emulator.writeServiceAccountToken(tokenFilePath, sa);
    return new WorkloadIdentityCredential({
      tenantId: options.tenantId ?? TENANT,
      clientId: options.clientId ?? UAMI_CLIENT_ID,
      tokenFilePath,
      authorityHost: emulator.authorityHost,
      disableInstanceDiscovery: true,
    });
  }

  const mcpServer = { namespace: 'mcp-system', serviceAccount: 'mcp-server' };

  it('gets an access token for the sample backend that verifies against the published JWKS', async () => {
    const credential = await credentialFor(mcpServer);
    const token = await credential.getToken('api://mcp-sample-backend/.default');
    expect(token).not.toBeNull();
    if (!token) return;

    const jwks = createRemoteJWKSet(new URL(emulator.jwksUri(TENANT)));
    const { payload, protectedHeader } = await jwtVerify(token.token, jwks, {
      issuer: emulator.issuer(TENANT),
      audience: 'api://mcp-sample-backend',
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(typeof protectedHeader.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: `${emulator.authorityHost}/${TENANT}/v2.0`,
      aud: 'api://mcp-sample-backend',
      tid: TENANT,
      azp: UAMI_CLIENT_ID,
      appid: UAMI_CLIENT_ID,
      roles: ['Users.Read'],
      ver: '2.0',
    });
    expect(payload.sub).toBe(payload.oid);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(5);
    expect(Math.abs(token.expiresOnTimestamp - (payload.exp ?? 0) * 1000)).toBeLessThan(2_000);
    expect(emulator.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 1, tokenErrors: 0 });
  });

  it('issues the roles granted on the requested resource only', async () => {
    const credential = await credentialFor({ namespace: 'mcp-system', serviceAccount: 'mcp-client' });
    const token = await credential.getToken('api://mcp-server/.default');
    expect(decodeJwt(token?.token ?? '')).toMatchObject({ aud: 'api://mcp-server', roles: ['Tools.Call'] });
  });

  it('serves short-lived tokens from the network again once they are inside the refresh window', async () => {
    const credential = await credentialFor(mcpServer);
    const first = await credential.getToken('api://mcp-sample-backend/.default');
    const second = await credential.getToken('api://mcp-sample-backend/.default');
    // A 5 s token is always within MSAL's 5 min refresh buffer, so both calls reach the emulator.
    expect(emulator.stats().tokenRequests).toBe(2);
    expect(decodeJwt(second?.token ?? '').uti).not.toBe(decodeJwt(first?.token ?? '').uti);
  });

  it.each([
    ['a service account without a federated credential', { namespace: 'mcp-system', serviceAccount: 'other' }, 'AADSTS700213', "subject 'system:serviceaccount:mcp-system:other'"],
    ['a token with the wrong audience', { ...mcpServer, audience: 'api://not-token-exchange' }, 'AADSTS700212', "audience 'api://not-token-exchange'"],
    ['an expired token', { ...mcpServer, issuedAt: Math.floor(Date.now() / 1000) - 7_200, expiresInSeconds: 3_600 }, 'AADSTS700024', 'not within its valid time range'],
    ['a token from another issuer', { ...mcpServer, issuer: 'https://oidc.prod-aks.azure.com/some-other-cluster/' }, 'AADSTS700211', "issuer 'https://oidc.prod-aks.azure.com/some-other-cluster/'"],
    ['a token signed by a key the issuer does not publish', { ...mcpServer, foreignKey: true }, 'AADSTS7000272', 'could not be found in the metadata'],
  ])('rejects %s', async (_label, sa, code, detail) => {
    const credential = await credentialFor(sa);
    const error = await credential.getToken('api://mcp-sample-backend/.default').then(
      () => undefined,
      (reason: Error) => reason,
    );
    expect(error?.message).toContain(code);
    expect(error?.message).toContain(detail);
    expect(emulator.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 0, tokenErrors: 1 });
  });

  it('rejects a token signed by a foreign key that reuses the cluster key id', async () => {
    const clusterKid = decodeProtectedHeader(await emulator.mintServiceAccountToken(mcpServer)).kid;
    const credential = await credentialFor({ ...mcpServer, foreignKey: true, kid: clusterKid });
    await expect(credential.getToken('api://mcp-sample-backend/.default')).rejects.toThrow(/AADSTS700027: Client assertion failed signature validation/);
  });

  it('rejects an unknown tenant with AADSTS90002', async () => {
    const credential = await credentialFor(mcpServer, { tenantId: '00000000-0000-0000-0000-00000000dead' });
    await expect(credential.getToken('api://mcp-sample-backend/.default')).rejects.toThrow(/AADSTS90002: Tenant '00000000-0000-0000-0000-00000000dead' not found/);
  });

  it('rejects an unknown client id with AADSTS700016', async () => {
    const credential = await credentialFor(mcpServer, { clientId: '99999999-9999-9999-9999-999999999999' });
    await expect(credential.getToken('api://mcp-sample-backend/.default')).rejects.toThrow(
      /AADSTS700016: Application with identifier '99999999-9999-9999-9999-999999999999' was not found in the directory/,
    );
  });

  it('rejects an app without federated credentials with AADSTS700211', async () => {
    const credential = await credentialFor(mcpServer, { clientId: OTHER_APP_CLIENT_ID });
    await expect(credential.getToken('api://mcp-sample-backend/.default')).rejects.toThrow(/AADSTS700211/);
  });

  it('rejects an unknown resource with AADSTS500011', async () => {
    const credential = await credentialFor(mcpServer);
    await expect(credential.getToken('api://nobody-registered-this/.default')).rejects.toThrow(
      /AADSTS500011: The resource principal named api:\/\/nobody-registered-this was not found/,
    );
  });
});
