import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AzureAuthModule } from '@mcp-platform/azure-auth';
import { BackendApiHealthIndicator } from './backend-api.health';
import { ConfigurableModuleClass } from './health.options';
import { TokenHealthIndicator } from './token.health';

/** Terminus plus the indicators both apps share. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AzureAuthModule],
  providers: [BackendApiHealthIndicator, TokenHealthIndicator],
  exports: [TerminusModule, BackendApiHealthIndicator, TokenHealthIndicator],
})
export class HealthModule extends ConfigurableModuleClass {}
