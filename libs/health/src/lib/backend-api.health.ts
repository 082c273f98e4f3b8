import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describeError } from './describe-error';
import { DEFAULT_BACKEND_TIMEOUT_MS, HEALTH_OPTIONS, HealthModuleOptions } from './health.options';

/** Up when the backend's health URL answers 2xx within the backend timeout. */
@Injectable()
export class BackendApiHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  async isHealthy(key = 'backend-api') {
    const indicator = this.health.check(key);
    const url = this.options.backendHealthUrl;
    if (!url) return indicator.down({ reason: 'no backend health URL is configured' });
    const timeoutMs = this.options.backendTimeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.ok ? indicator.up({ url }) : indicator.down({ url, reason: `answered HTTP ${response.status}` });
    } catch (error) {
      const reason = describeError(error);
      return indicator.down({ url, reason: reason === 'timed out' ? `timed out after ${timeoutMs} ms` : reason });
    }
  }
}
