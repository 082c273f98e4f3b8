import type { AccessToken } from '@azure/identity';

/** How the process gets tokens: `none` when no Azure identity is configured. */
export type TokenProviderMode = 'none' | 'workload-identity' | 'developer' | 'static';

/**
 * Where outbound calls get their Entra access tokens. Injected by the token class itself.
 * `getToken` resolves `undefined` only in mode `none`, where callers send no token at all.
 */
export abstract class TokenProvider {
  abstract readonly mode: TokenProviderMode;
  abstract getToken(scopes: string[], options?: { abortSignal?: AbortSignal }): Promise<AccessToken | undefined>;
}
