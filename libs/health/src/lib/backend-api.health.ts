import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { basicAuthorization, displayUrl, withoutCredentials } from '@mcp-platform/config';
import { describeError } from './describe-error';
import { DEFAULT_BACKEND_TIMEOUT_MS, DEFAULT_CHECK_CACHE_MS, HEALTH_OPTIONS, HealthModuleOptions } from './health.options';
import { SharedCheck } from './shared-check';

type BackendProbe = { up: true } | { up: false; reason: string };

/**
 * Up when the backend's health URL answers 2xx within the backend timeout; concurrent and recent
 * probes share one request. A `user:password@` in the URL is sent as Basic credentials (fetch
 * refuses such a URL) and never shown.
 */
@Injectable()
export class BackendApiHealthIndicator {
  private readonly probe: SharedCheck<BackendProbe>;
  private readonly target?: { url: URL; shownAs: string; headers: Record<string, string> };

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {
    this.probe = new SharedCheck(() => this.probeBackend(), options.checkCacheMs ?? DEFAULT_CHECK_CACHE_MS);
    if (!options.backendHealthUrl) return;
    const configured = new URL(options.backendHealthUrl);
    const authorization = basicAuthorization(configured);
    this.target = { url: withoutCredentials(configured), shownAs: displayUrl(configured), headers: authorization ? { authorization } : {} };
  }

  async isHealthy(key = 'backend-api') {
    const indicator = this.health.check(key);
    if (!this.target) return indicator.down({ reason: 'no backend health URL is configured' });
    const url = this.target.shownAs;
    const outcome = await this.probe.get();
    return outcome.up ? indicator.up({ url }) : indicator.down({ url, reason: outcome.reason });
  }

  private async probeBackend(): Promise<BackendProbe> {
    const target = this.target as NonNullable<BackendApiHealthIndicator['target']>;
    const timeoutMs = this.options.backendTimeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
    try {
      const response = await fetch(target.url, { headers: target.headers, signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.ok ? { up: true } : { up: false, reason: `answered HTTP ${response.status}` };
    } catch (error) {
      const reason = describeError(error);
      return { up: false, reason: reason === 'timed out' ? `timed out after ${timeoutMs} ms` : reason };
    }
  }
}
