import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describeError } from './describe-error';
import { DEFAULT_BACKEND_TIMEOUT_MS, DEFAULT_CHECK_CACHE_MS, HEALTH_OPTIONS, HealthModuleOptions } from './health.options';
import { SharedCheck } from './shared-check';

type BackendProbe = { up: true } | { up: false; reason: string };

/** Up when the backend's health URL answers 2xx within the backend timeout; concurrent and recent probes share one request. */
@Injectable()
export class BackendApiHealthIndicator {
  private readonly probe: SharedCheck<BackendProbe>;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {
    this.probe = new SharedCheck(() => this.probeBackend(), options.checkCacheMs ?? DEFAULT_CHECK_CACHE_MS);
  }

  async isHealthy(key = 'backend-api') {
    const indicator = this.health.check(key);
    const url = this.options.backendHealthUrl;
    if (!url) return indicator.down({ reason: 'no backend health URL is configured' });
    const outcome = await this.probe.get();
    return outcome.up ? indicator.up({ url }) : indicator.down({ url, reason: outcome.reason });
  }

  private async probeBackend(): Promise<BackendProbe> {
    const timeoutMs = this.options.backendTimeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
    try {
      const response = await fetch(this.options.backendHealthUrl as string, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.ok ? { up: true } : { up: false, reason: `answered HTTP ${response.status}` };
    } catch (error) {
      const reason = describeError(error);
      return { up: false, reason: reason === 'timed out' ? `timed out after ${timeoutMs} ms` : reason };
    }
  }
}
