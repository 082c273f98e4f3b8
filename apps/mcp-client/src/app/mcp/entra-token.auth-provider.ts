import type { AuthProvider } from '@modelcontextprotocol/client';
import type { TokenProvider } from '@mcp-platform/azure-auth';

/**
 * The SDK transport's bearer hook, fed by the process's token cache. The transport calls `token()`
 * before every HTTP request (POSTs, the GET stream, a `subscriptions/listen` stream), and the cache
 * answers from memory while its token is valid and refreshes it in the background, so a rotated
 * token is used from the next request on without reconnecting.
 *
 * A failure to get a token (wrong federated credential, Entra down) fails the request with the
 * cache's `TokenAcquisitionError`, whose AADSTS reason then shows in readiness. No
 * `onUnauthorized`: the cache has nothing fresher to offer than what it just gave, so a 401 is
 * reported rather than retried.
 */
export class EntraTokenAuthProvider implements AuthProvider {
  constructor(
    private readonly tokens: TokenProvider,
    private readonly scope: string,
  ) {}

  async token(): Promise<string | undefined> {
    return (await this.tokens.getToken([this.scope]))?.token;
  }
}
