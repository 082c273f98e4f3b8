import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { TokenVerificationError } from './token-verification.error';

export interface EntraTokenVerifierOptions {
  tenantId: string;
  /** Entra's base URL; the v2 issuer and JWKS are derived from it. */
  authorityHost: string;
  /** Accepted `aud` values: this API's client id and/or app ID URI. */
  audiences: string[];
  /** App roles the caller must hold (all of them); e.g. `Tools.Call`. */
  requiredRoles?: string[];
  /** Delegated scopes (`scp`) accepted instead of the roles; any one of them suffices. */
  acceptedScopes?: string[];
  /** Allowed clock skew for `exp`/`nbf`, in seconds. */
  clockToleranceSeconds?: number;
  /** Largest accepted token, in characters (Entra's are 1-3 KB): a guard against absurd headers. */
  maxTokenLength?: number;
  /**
   * Least time between two JWKS fetches, in milliseconds. A token with an unknown `kid` triggers a
   * refetch (that is how rotated keys are found), so this bounds what forged tokens can make us fetch.
   */
  jwksCooldownMs?: number;
}

export interface VerifiedCaller {
  /** The calling application (`azp`/`appid`) and principal (`oid`). */
  clientId?: string;
  objectId?: string;
  roles: string[];
  scopes: string[];
  claims: JWTPayload;
}

// Entra signs access tokens with RS256; pinning it refuses `alg: none` and HS256-with-the-public-key tricks.
const ALGORITHMS = ['RS256'];

/**
 * Verifies Entra access tokens: signature against the tenant's JWKS (fetched once, cached, and
 * refetched when an unknown `kid` appears, so key rotation needs no restart), v2 issuer of the
 * tenant, audience, `exp`/`nbf` with a small skew, and the required roles or scopes.
 */
export class EntraTokenVerifier {
  readonly issuer: string;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: EntraTokenVerifierOptions) {
    const authority = options.authorityHost.replace(/\/+$/, '');
    this.issuer = `${authority}/${options.tenantId}/v2.0`;
    this.jwks = createRemoteJWKSet(new URL(`${authority}/${options.tenantId}/discovery/v2.0/keys`), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      timeoutDuration: 5_000,
    });
  }

  async verify(token: string): Promise<VerifiedCaller> {
    if (token.length > (this.options.maxTokenLength ?? 8_192)) throw new TokenVerificationError('invalid_token', 'the token is too large');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.jwks, {
        algorithms: ALGORITHMS,
        issuer: this.issuer,
        audience: this.options.audiences,
        clockTolerance: this.options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw new TokenVerificationError('invalid_token', describeJoseError(error));
    }
    const caller = toCaller(claims);
    this.assertAuthorized(caller);
    return caller;
  }

  private assertAuthorized(caller: VerifiedCaller): void {
    const requiredRoles = this.options.requiredRoles ?? [];
    const acceptedScopes = this.options.acceptedScopes ?? [];
    if (requiredRoles.length === 0 && acceptedScopes.length === 0) return;
    const hasRoles = requiredRoles.length > 0 && requiredRoles.every((role) => caller.roles.includes(role));
    const hasScope = acceptedScopes.some((scope) => caller.scopes.includes(scope));
    if (!hasRoles && !hasScope) {
      const wanted = [...(requiredRoles.length ? [`role(s) ${requiredRoles.join(', ')}`] : []), ...(acceptedScopes.length ? [`scope ${acceptedScopes.join(' or ')}`] : [])];
      throw new TokenVerificationError('insufficient_scope', `the token lacks ${wanted.join(' or ')}`);
    }
  }
}

function toCaller(claims: JWTPayload): VerifiedCaller {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  return {
    clientId: text('azp') ?? text('appid'),
    objectId: text('oid'),
    roles: Array.isArray(claims['roles']) ? claims['roles'].filter((role): role is string => typeof role === 'string') : [],
    scopes: (text('scp') ?? '').split(' ').filter(Boolean),
    claims,
  };
}

// By jose's stable error codes rather than classes: they survive module duplication and realms.
const JOSE_REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the token signature is invalid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the token is not signed with an accepted algorithm',
  ERR_JWKS_NO_MATCHING_KEY: 'the token is signed with an unknown key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'the token is signed with an ambiguous key',
  ERR_JWKS_TIMEOUT: 'the signing keys could not be fetched in time',
  ERR_JWS_INVALID: 'the token is malformed',
  ERR_JWT_INVALID: 'the token is malformed',
  ERR_JOSE_NOT_SUPPORTED: 'the token uses an unsupported algorithm or key',
};

function describeJoseError(error: unknown): string {
  const { code, claim, reason } = (typeof error === 'object' && error !== null ? error : {}) as { code?: string; claim?: string; reason?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `the token's "${claim}" claim is not accepted (${reason})`;
  return (code && JOSE_REASONS[code]) ?? 'the token could not be verified';
}
