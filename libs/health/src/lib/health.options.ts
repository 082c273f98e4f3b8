import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface HealthModuleOptions {
  /** URL the backend check GETs; a 2xx answer means up. */
  backendHealthUrl?: string;
  /** Bound of the backend check, in milliseconds (the server passes its backend timeout). */
  backendTimeoutMs?: number;
  /** Scopes the token check asks a token for. */
  tokenScopes?: string[];
}

export const DEFAULT_BACKEND_TIMEOUT_MS = 5_000;

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: HEALTH_OPTIONS } = new ConfigurableModuleBuilder<HealthModuleOptions>()
  .setClassMethodName('forRoot')
  .build();
