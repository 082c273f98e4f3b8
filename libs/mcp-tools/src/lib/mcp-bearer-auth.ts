import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerAuthChallengeResponse, OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { EntraTokenVerifier, EntraTokenVerifierOptions, TokenVerificationError } from '@mcp-platform/azure-auth';
import { requestOrigin } from '@mcp-platform/service-runtime';
import { HTTP_REFUSAL, sendJsonRpcError } from './json-rpc-error';

export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

export type McpBearerAuthOptions = EntraTokenVerifierOptions & { scopesSupported?: string[] };

/**
 * Entra bearer authentication for the MCP endpoints, with the SDK's RFC 6750/9728 challenge: a
 * request without a valid token gets 401 (403 for a missing role) with a `WWW-Authenticate`
 * header that points at this server's protected-resource metadata, and the server's JSON-RPC
 * error body. `exp`/`nbf` are the verifier's alone, with its clock skew: the SDK's
 * `verifyBearerToken` compares `exp` with no skew, which refused tokens the documented 60 s allow.
 */
export class McpBearerAuth {
  private readonly verifier: EntraTokenVerifier;

  /** `publicUrl`: the origin (and path prefix) callers reach the server at; the request's Host when absent. */
  constructor(
    private readonly options: McpBearerAuthOptions,
    private readonly publicUrl?: string,
  ) {
    this.verifier = new EntraTokenVerifier(options);
  }

  /** Verifies the request's bearer token; on failure answers the request itself and returns false. */
  async admits(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse): Promise<boolean> {
    try {
      req.auth = await this.verifyAccessToken(bearerToken(req.headers.authorization));
      return true;
    } catch (error) {
      const challenge = bearerAuthChallengeResponse(error, { resourceMetadataUrl: this.metadataUrl(req) });
      const message = error instanceof OAuthError ? `${error.code}: ${error.message}` : 'server_error: the token could not be verified';
      const authenticate = challenge.headers.get('www-authenticate');
      sendJsonRpcError(res, challenge.status, HTTP_REFUSAL, message, authenticate === null ? {} : { 'www-authenticate': authenticate });
      return false;
    }
  }

  /** RFC 9728 metadata: this resource, and Entra (the tenant's v2 issuer) as its authorization server. */
  metadata(req: IncomingMessage): object {
    return {
      resource: `${this.origin(req)}/mcp`,
      authorization_servers: [this.verifier.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: this.options.scopesSupported ?? this.options.audiences.filter((audience) => audience.includes('://')).map((uri) => `${uri}/.default`),
      resource_name: 'mcp-server',
    };
  }

  private metadataUrl(req: IncomingMessage): string {
    return `${this.origin(req)}${PROTECTED_RESOURCE_METADATA_PATH}/mcp`;
  }

  /** The configured public URL, else the request's: its Host has passed the allow-list by the time this runs. */
  private origin(req: IncomingMessage): string {
    return this.publicUrl ?? requestOrigin(req);
  }

  private async verifyAccessToken(token: string): Promise<AuthInfo> {
    try {
      const caller = await this.verifier.verify(token);
      return {
        token,
        clientId: caller.clientId ?? 'unknown',
        scopes: [...caller.roles, ...caller.scopes],
        expiresAt: typeof caller.claims.exp === 'number' ? caller.claims.exp : undefined,
        extra: { objectId: caller.objectId },
      };
    } catch (error) {
      if (error instanceof TokenVerificationError) throw new OAuthError(error.code, error.description);
      throw new OAuthError(OAuthErrorCode.InvalidToken, 'the token could not be verified');
    }
  }
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or an invalid_token refusal. */
function bearerToken(header: string | undefined): string {
  if (!header) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Missing Authorization header');
  const [scheme, token, extra] = header.split(' ');
  if (scheme.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
    throw new OAuthError(OAuthErrorCode.InvalidToken, "Invalid Authorization header format, expected 'Bearer TOKEN'");
  }
  return token;
}
