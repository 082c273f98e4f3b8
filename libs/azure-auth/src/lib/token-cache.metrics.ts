import { Counter, Gauge, register } from 'prom-client';

/** Prometheus series of the token cache, on prom-client's default registry. */
export class TokenCacheMetrics {
  readonly lookups = getOrCreate(
    'azure_token_cache_lookups_total',
    () => new Counter({ name: 'azure_token_cache_lookups_total', help: 'Token cache lookups by result (hit, miss)', labelNames: ['result'] }),
  );
  readonly refreshes = getOrCreate(
    'azure_token_refreshes_total',
    () => new Counter({ name: 'azure_token_refreshes_total', help: 'Token requests to Entra by outcome (success, failure)', labelNames: ['outcome'] }),
  );
  private readonly expiry = getOrCreate(
    'azure_token_seconds_until_expiry',
    () => new Gauge({ name: 'azure_token_seconds_until_expiry', help: 'Seconds until the cached token expires, per scope set', labelNames: ['scopes'] }),
  );

  tokenExpiresAt(scopes: string, expiresOnTimestamp: number): void {
    this.expiry.set({ scopes }, Math.round((expiresOnTimestamp - Date.now()) / 1000));
  }
}

// Several Nest applications in one process (tests) share prom-client's global registry.
function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
