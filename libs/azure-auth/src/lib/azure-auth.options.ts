import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Which credential the process uses. `auto` picks as the deployment does (see credential.factory.ts). */
export type CredentialKind = 'auto' | 'workload-identity' | 'developer' | 'none';

export interface TokenCacheOptions {
  /** Share of a token's lifetime after which it is refreshed in the background, when Entra gives no `refresh_in`. */
  refreshAtLifetimeShare?: number;
  /** A token this close to expiry is treated as expired, in milliseconds. */
  expirySkewMs?: number;
  /** First retry delay after a failed refresh, in milliseconds; doubles per attempt, with full jitter. */
  retryInitialDelayMs?: number;
  /** Largest retry delay, in milliseconds. */
  retryMaxDelayMs?: number;
}

export interface AzureAuthModuleOptions {
  credential?: CredentialKind;
  tenantId?: string;
  clientId?: string;
  /** The projected service-account token the workload identity webhook mounts (AZURE_FEDERATED_TOKEN_FILE). */
  federatedTokenFile?: string;
  /** Entra's base URL (AZURE_AUTHORITY_HOST); the local emulator's URL in development. */
  authorityHost?: string;
  /** Skip Entra instance discovery (needed for any authority that is not a real Entra cloud, such as the emulator). */
  disableInstanceDiscovery?: boolean;
  cache?: TokenCacheOptions;
}

export const TOKEN_CACHE_DEFAULTS: Required<TokenCacheOptions> = {
  refreshAtLifetimeShare: 0.5,
  expirySkewMs: 30_000,
  retryInitialDelayMs: 500,
  retryMaxDelayMs: 30_000,
};

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: AZURE_AUTH_OPTIONS, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<AzureAuthModuleOptions>().setClassMethodName('forRoot').setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  })).build();
