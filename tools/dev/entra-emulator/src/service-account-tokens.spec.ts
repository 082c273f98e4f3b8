import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import fs from 'node:fs';
import path from 'node:path';
import { type Emulator, rawRequest, startTestEmulator, TENANT, UAMI_CLIENT_ID } from './test-support';

/** The AKS OIDC issuer stand-in: what the kubelet projects, rotation, and the forging helpers. */
describe('cluster issuer and projected service-account tokens', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });

  afterAll(() => emulator?.close());

  async function clusterKeys() {
    const discovery = await rawRequest(emulator, `${emulator.clusterIssuer}.well-known/openid-configuration`);
    expect(discovery.json).toMatchObject({ issuer: emulator.clusterIssuer, id_token_signing_alg_values_supported: ['RS256'] });
    return createLocalJWKSet((await rawRequest(emulator, discovery.json.jwks_uri)).json);
  }

  it('mints tokens shaped like the kubelet projects them for the workload identity webhook', async () => {
    const file = path.join(emulator.stateDir, 'wi', 'azure-identity-token');
    const token = await emulator.writeServiceAccountToken(file, { namespace: 'mcp-system', serviceAccount: 'mcp-server' });
    expect(fs.readFileSync(file, 'utf8')).toBe(token);

    const { payload, protectedHeader } = await jwtVerify(token, await clusterKeys(), {
      issuer: emulator.clusterIssuer,
      audience: 'api://AzureADTokenExchange',
      subject: 'system:serviceaccount:mcp-system:mcp-server',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.aud).toEqual(['api://AzureADTokenExchange']);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(payload['kubernetes.io']).toMatchObject({
      namespace: 'mcp-system',
      serviceaccount: { name: 'mcp-server' },
      pod: { name: expect.stringMatching(/^mcp-server-/) },
    });
  });

  it('rotates written files atomically with fresh tokens', async () => {
    const dir = path.join(emulator.stateDir, 'rotation');
    const file = path.join(dir, 'token');
    const first = await emulator.writeServiceAccountToken(file, { namespace: 'mcp-system', serviceAccount: 'mcp-client', expiresInSeconds: 600 });
    const stop = emulator.rotateServiceAccountTokens(1_050);
    try {
      // Every read while rotation runs sees a whole token (the file is replaced by rename).
      let current = first;
      const deadline = Date.now() + 5_000;
      while (current === first && Date.now() < deadline) {
        current = fs.readFileSync(file, 'utf8');
        expect(current.split('.')).toHaveLength(3);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(current).not.toBe(first);
      const before = decodeJwt(first);
      const after = decodeJwt(current);
      expect(after.iat).toBeGreaterThan(before.iat ?? Infinity);
      expect(after.exp).toBe((after.iat ?? 0) + 600);
      expect(after.sub).toBe(before.sub);
      // Same pod, new token.
      expect(after['kubernetes.io']).toEqual(before['kubernetes.io']);
      await jwtVerify(current, await clusterKeys(), { issuer: emulator.clusterIssuer });
    } finally {
      stop();
    }
    // No temp files left behind.
    expect(fs.readdirSync(dir)).toEqual(['token']);
  });

  it('mints access tokens with the real key, and forgeries a validator must reject', async () => {
    const jwks = createLocalJWKSet((await rawRequest(emulator, emulator.jwksUri(TENANT))).json);
    const options = { issuer: emulator.issuer(TENANT), audience: 'api://mcp-server' };

    const genuine = await emulator.mintAccessToken({ resource: 'api://mcp-server' });
    const { payload } = await jwtVerify(genuine, jwks, options);
    expect(payload).toMatchObject({ azp: UAMI_CLIENT_ID, roles: ['Tools.Call'], tid: TENANT });

    const expired = await emulator.mintAccessToken({ resource: 'api://mcp-server', issuedAt: Math.floor(Date.now() / 1000) - 120, expiresInSeconds: 60 });
    await expect(jwtVerify(expired, jwks, options)).rejects.toThrow(/"exp" claim timestamp check failed/);

    const noRoles = await emulator.mintAccessToken({ resource: 'api://mcp-server', roles: [] });
    expect(decodeJwt(noRoles).roles).toBeUndefined();

    const forged = await emulator.signWithForeignKey({ ...payload });
    expect(decodeProtectedHeader(forged).kid).toBe(decodeProtectedHeader(genuine).kid);
    await expect(jwtVerify(forged, jwks, options)).rejects.toThrow(/signature verification failed/);
  });
});
