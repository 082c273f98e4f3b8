import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { AZURE_AUTH_OPTIONS, AzureAuthModuleOptions, ConfigurableModuleClass } from './azure-auth.options';
import { selectCredential } from './credential.factory';
import { NoTokenProvider } from './no-token.provider';
import { TokenCache } from './token-cache';
import { TokenProvider } from './token-provider';

function createTokenProvider(options: AzureAuthModuleOptions): TokenProvider {
  const { mode, credential } = selectCredential(options);
  if (!credential) return new NoTokenProvider();
  // The factory lets the cache start over with a fresh credential after a failure (see TokenCache).
  return new TokenCache(() => selectCredential(options).credential ?? credential, mode, options.cache);
}

/**
 * The process's one {@link TokenProvider}: the credential the environment calls for (workload
 * identity in AKS), behind the token cache. Global, so every module sees the same cache.
 */
@Module({
  providers: [{ provide: TokenProvider, useFactory: createTokenProvider, inject: [AZURE_AUTH_OPTIONS] }],
  exports: [TokenProvider],
})
export class AzureAuthModule extends ConfigurableModuleClass implements OnModuleDestroy {
  constructor(@Inject(TokenProvider) private readonly tokens: TokenProvider) {
    super();
  }

  onModuleDestroy(): void {
    if (this.tokens instanceof TokenCache) this.tokens.close();
  }
}
