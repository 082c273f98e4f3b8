import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerAuthChallengeResponse, OAuthError, verifyBearerToken } from '@modelcontextprotocol/server';
import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { EntraTokenVerifier, EntraTokenVerifierOptions, TokenVerificationError } from '@mcp-platform/azure-auth';

export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * Entra bearer authentication for the MCP endpoints, on the SDK's RFC 6750/9728 helpers: a
 * request without a valid token gets 401 (403 for a missing role) with a `WWW-Authenticate`
 * challenge that points at this server's protected-resource metadata.
 */
export class McpBearerAuth {
  private readonly verifier: EntraTokenVerifier;
  private readonly tokenVerifier: OAuthTokenVerifier;

  constructor(private readonly options: EntraTokenVerifierOptions & { scopesSupported?: string[] }) {
    this.verifier = new EntraTokenVerifier(options);
    this.tokenVerifier = { verifyAccessToken: (token) => this.verifyAccessToken(token) };
  }

  /** Verifies the request's bearer token; on failure answers the request itself and returns false. */
  async admits(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse): Promise<boolean> {
    const resourceMetadataUrl = this.metadataUrl(req);
    try {
      req.auth = await verifyBearerToken(req.headers.authorization, { verifier: this.tokenVerifier, resourceMetadataUrl });
      return true;
    } catch (error) {
      const challenge = bearerAuthChallengeResponse(error, { resourceMetadataUrl });
      res.writeHead(challenge.status, Object.fromEntries(challenge.headers.entries()));
      res.end(await challenge.text());
      return false;
    }
  }

  /** RFC 9728 metadata: this resource, and Entra (the tenant's v2 issuer) as its authorization server. */
  metadata(req: IncomingMessage): object {
    return {
      resource: `${origin(req)}/mcp`,
      authorization_servers: [this.verifier.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: this.options.scopesSupported ?? this.options.audiences.filter((audience) => audience.includes('://')).map((uri) => `${uri}/.default`),
      resource_name: 'mcp-server',
    };
  }

  private metadataUrl(req: IncomingMessage): string {
    return `${origin(req)}${PROTECTED_RESOURCE_METADATA_PATH}/mcp`;
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
      throw new OAuthError('invalid_token', 'the token could not be verified');
    }
  }
}

// The Host header has passed the allow-list by the time this runs.
function origin(req: IncomingMessage): string {
  const forwardedProto = req.headers['x-forwarded-proto'];
  const proto = forwardedProto === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
