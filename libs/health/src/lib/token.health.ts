import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { describeError } from './describe-error';
import { HEALTH_OPTIONS, HealthModuleOptions } from './health.options';

/** Up when a token for the configured scopes can be had; `mode: none` when no identity is configured. */
@Injectable()
export class TokenHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly tokens: TokenProvider,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  async isHealthy(key = 'token') {
    const indicator = this.health.check(key);
    if (this.tokens.mode === 'none') return indicator.up({ mode: 'none' });
    const scopes = this.options.tokenScopes ?? [];
    try {
      const token = await this.tokens.getToken(scopes);
      const expiresInSeconds = token ? Math.round((token.expiresOnTimestamp - Date.now()) / 1000) : undefined;
      return indicator.up({ mode: this.tokens.mode, scopes, expiresInSeconds });
    } catch (error) {
      return indicator.down({ mode: this.tokens.mode, scopes, reason: describeError(error) });
    }
  }
}
