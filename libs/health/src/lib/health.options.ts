import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface HealthModuleOptions {
  /** URL the backend check GETs; a 2xx answer means up. */
  backendHealthUrl?: string;
  /** Bound of the backend check, in milliseconds (the server passes its backend timeout). */
  backendTimeoutMs?: number;
  /**
   * How long a backend check's outcome answers later probes, in milliseconds; concurrent probes
   * share one check whatever this is. 0 keeps only the sharing.
   */
  checkCacheMs?: number;
  /** Scopes the token check asks a token for. */
  tokenScopes?: string[];
}

export const DEFAULT_BACKEND_TIMEOUT_MS = 5_000;
/** A kubelet probes every 10 s: a second-old outcome changes nothing for it, and caps a probe flood at one backend request a second. */
export const DEFAULT_CHECK_CACHE_MS = 1_000;

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: HEALTH_OPTIONS } = new ConfigurableModuleBuilder<HealthModuleOptions>()
  .setClassMethodName('forRoot')
  .build();
