import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AzureAuthModule } from '@mcp-platform/azure-auth';
import { HealthModule } from '@mcp-platform/health';
import { McpToolsModule } from '@mcp-platform/mcp-tools';
import { azureAuthOptions, createLoggers, loggerOptions, MetricsModule } from '@mcp-platform/service-runtime';
import { serverConfigProvider } from './config/server-config.provider';
import { ServerConfig } from './config/server-config';
import { JsonRpcExceptionFilter } from './errors/json-rpc-exception.filter';
import { HealthController } from './health/health.controller';
import { ToolsModule } from './tools/tools.module';

export const SERVER_NAME = 'mcp-server';
export const SERVER_VERSION = process.env['APP_VERSION'] ?? '1.0.0';

@Global()
@Module({})
class ServerConfigModule {
  static forRoot(config: ServerConfig): DynamicModule {
    const provider = serverConfigProvider(config);
    return { module: ServerConfigModule, providers: [provider], exports: [provider] };
  }
}

@Module({})
export class AppModule {
  /** `extraImports` lets a test add tool modules (the conformance suite's fixed tools). */
  static forRoot(config: ServerConfig, extraImports: DynamicModule['imports'] = [], rootLogger = createLoggers(config.LOG_LEVEL).root): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServerConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(rootLogger)),
        AzureAuthModule.forRoot(azureAuthOptions(config)),
        McpToolsModule.forRoot({
          serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
          allowedHosts: config.MCP_ALLOWED_HOSTS,
          allowedOrigins: config.MCP_ALLOWED_ORIGINS,
          publicUrl: config.MCP_PUBLIC_URL,
          maxResultBytes: config.MCP_MAX_RESULT_BYTES,
          streams: {
            maxStreams: config.MCP_MAX_STREAMS,
            maxStreamsPerCaller: config.MCP_MAX_STREAMS_PER_CALLER,
            maxStreamLifetimeMs: config.MCP_STREAM_MAX_LIFETIME * 1000,
          },
          auth: config.MCP_AUTH_ENABLED
            ? {
                tenantId: config.AZURE_TENANT_ID as string,
                authorityHost: config.AZURE_AUTHORITY_HOST,
                audiences: config.MCP_AUTH_AUDIENCES,
                requiredRoles: config.MCP_AUTH_REQUIRED_ROLES,
              }
            : undefined,
        }),
        HealthModule.forRoot({
          backendHealthUrl: new URL('health', config.BACKEND_API_URL.endsWith('/') ? config.BACKEND_API_URL : `${config.BACKEND_API_URL}/`).href,
          backendTimeoutMs: config.BACKEND_API_TIMEOUT * 1000,
          checkCacheMs: config.READINESS_CACHE_TTL * 1000,
          tokenScopes: config.AZURE_SCOPES,
        }),
        MetricsModule,
        ToolsModule,
        ...extraImports,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: JsonRpcExceptionFilter }],
    };
  }
}
