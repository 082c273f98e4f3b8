import { bearerAuthChallengeResponse, OAuthError } from '@modelcontextprotocol/server';

/**
 * An RFC 6750 §3 `WWW-Authenticate` value with the RFC 9728 §5.1 `resource_metadata` parameter,
 * built by the SDK as the server's MCP endpoints build theirs (quoting included), so the two
 * doors challenge alike.
 */
export function bearerChallenge(error: 'invalid_token' | 'insufficient_scope', description: string, resourceMetadataUrl: string): string {
  return bearerAuthChallengeResponse(new OAuthError(error, description), { resourceMetadataUrl }).headers.get('www-authenticate') as string;
}
