import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { TokenHealthIndicator } from '@mcp-platform/health';
import { CLIENT_CONFIG } from '../config/client-config.provider';
import { ClientConfig } from '../config/client-config';
import { McpServerHealthIndicator } from './mcp-server.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly server: McpServerHealthIndicator,
    private readonly token: TokenHealthIndicator,
    @Inject(CLIENT_CONFIG) private readonly config: ClientConfig,
  ) {}

  /** Liveness: the process answers. The server being away must not fail this, or an outage would restart every pod. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: a catalogue to serve, from a server that answers, and (with MCP_SERVER_SCOPE) a token for it. 503 with each reason otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.server.isHealthy()];
    if (this.config.MCP_SERVER_SCOPE) checks.push(() => this.token.isHealthy());
    return this.health.check(checks);
  }
}
