import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { EntraTokenVerifier } from './entra-token-verifier';
import { TokenVerificationError } from './token-verification.error';

const TENANT = '00000000-0000-0000-0000-000000000001';
const AUDIENCE = 'api://mcp-server';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe('EntraTokenVerifier', () => {
  let server: http.Server;
  let authorityHost: string;
  let signingKey: KeyPair;
  let foreignKey: KeyPair;
  let publishedKeys: object[];
  let verifier: EntraTokenVerifier;

  const issuer = () => `${authorityHost}/${TENANT}/v2.0`;

  function sign(claims: JWTPayload = {}, options: { key?: KeyPair; kid?: string; expiresIn?: string } = {}) {
    return new SignJWT({ roles: ['Tools.Call'], azp: 'client-app', oid: 'object-1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1', typ: 'JWT' })
      .setIssuer(typeof claims.iss === 'string' ? claims.iss : issuer())
      .setAudience((claims.aud as string) ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign((options.key ?? signingKey).privateKey);
  }

  beforeAll(async () => {
    signingKey = await generateKeyPair('RS256', { extractable: true });
    foreignKey = await generateKeyPair('RS256', { extractable: true });
    publishedKeys = [{ ...(await exportJWK(signingKey.publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' }];
    server = http.createServer((req, res) => {
      if (req.url === `/${TENANT}/discovery/v2.0/keys`) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: publishedKeys }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    authorityHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    verifier = new EntraTokenVerifier({ tenantId: TENANT, authorityHost, audiences: [AUDIENCE], requiredRoles: ['Tools.Call'], clockToleranceSeconds: 5 });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts a token of the tenant, for this audience, with the role', async () => {
    const caller = await verifier.verify(await sign());
    expect(caller).toMatchObject({ clientId: 'client-app', objectId: 'object-1', roles: ['Tools.Call'] });
  });

  const refusals: Array<[string, () => Promise<string>, RegExp, string]> = [
    ['another audience', () => sign({ aud: 'api://some-other-app' }), /"aud" claim/, 'invalid_token'],
    ['another issuer (tenant)', () => sign({ iss: 'https://login.microsoftonline.com/ffffffff-0000-0000-0000-000000000000/v2.0' }), /"iss" claim/, 'invalid_token'],
    ['an expired token', () => sign({}, { expiresIn: '-1m' }), /expired/, 'invalid_token'],
    ['a token not yet valid', async () => sign({ nbf: Math.floor(Date.now() / 1000) + 600 }), /"nbf" claim/, 'invalid_token'],
    ['a token signed by a foreign key under a known kid', () => sign({}, { key: foreignKey }), /signature is invalid/, 'invalid_token'],
    ['a token whose kid is not published', () => sign({}, { key: foreignKey, kid: 'no-such-key' }), /unknown key/, 'invalid_token'],
    ['alg: none', async () => unsigned(), /not signed with an accepted algorithm/, 'invalid_token'],
    ['HS256 signed with the public key', async () => hs256WithPublicKey(), /not signed with an accepted algorithm/, 'invalid_token'],
    ['an oversized token', async () => 'a'.repeat(20_000), /too large/, 'invalid_token'],
    ['garbage', async () => 'not.a.jwt', /malformed|could not be verified/, 'invalid_token'],
    ['a token without the role', () => sign({ roles: ['Something.Else'] }), /lacks role\(s\) Tools.Call/, 'insufficient_scope'],
  ];

  it.each(refusals)('refuses %s', async (_label, makeToken, reason, code) => {
    const error = await verifier.verify(await makeToken()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenVerificationError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(reason) });
  });

  it('picks up a rotated signing key without a restart', async () => {
    const rotating = new EntraTokenVerifier({ tenantId: TENANT, authorityHost, audiences: [AUDIENCE], jwksCooldownMs: 0 });
    await rotating.verify(await sign());
    const rotated = await generateKeyPair('RS256', { extractable: true });
    publishedKeys = [...publishedKeys, { ...(await exportJWK(rotated.publicKey)), kid: 'key-2', use: 'sig', alg: 'RS256' }];
    await expect(rotating.verify(await sign({}, { key: rotated, kid: 'key-2' }))).resolves.toMatchObject({ clientId: 'client-app' });
  });

  function unsigned(): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: issuer(), aud: AUDIENCE, exp: now + 600, iat: now, roles: ['Tools.Call'] })}.`;
  }

  async function hs256WithPublicKey(): Promise<string> {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })}.${encode({ iss: issuer(), aud: AUDIENCE, exp: now + 600, iat: now, roles: ['Tools.Call'] })}`;
    const publicJwk = JSON.stringify(publishedKeys[0]);
    return `${body}.${createHmac('sha256', publicJwk).update(body).digest('base64url')}`;
  }
});
