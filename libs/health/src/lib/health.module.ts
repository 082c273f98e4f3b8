import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BackendApiHealthIndicator } from './backend-api.health';
import { ConfigurableModuleClass } from './health.options';
import { TokenHealthIndicator } from './token.health';

/** Terminus plus the indicators both apps share. Needs the global `AzureAuthModule.forRoot()` for the token check. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [BackendApiHealthIndicator, TokenHealthIndicator],
  exports: [TerminusModule, BackendApiHealthIndicator, TokenHealthIndicator],
})
export class HealthModule extends ConfigurableModuleClass {}
