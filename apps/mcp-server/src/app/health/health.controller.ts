import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { BackendApiHealthIndicator, TokenHealthIndicator } from '@mcp-platform/health';
import { SERVER_CONFIG } from '../config/server-config.provider';
import { ServerConfig } from '../config/server-config';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly backend: BackendApiHealthIndicator,
    private readonly token: TokenHealthIndicator,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  /** Liveness: the process answers. Nothing outside it may fail this, or a backend outage would restart every pod. */
  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  live() {
    return this.health.check([]);
  }

  /** Readiness: what a call needs. 503 with each failed check and its reason. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.token.isHealthy()];
    if (this.config.READINESS_CHECK_BACKEND) checks.push(() => this.backend.isHealthy());
    return this.health.check(checks);
  }
}
