import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type pino from 'pino';
import { AzureAuthModule, TokenProvider } from '@mcp-platform/azure-auth';
import { displayUrl } from '@mcp-platform/config';
import { HealthModule } from '@mcp-platform/health';
import { azureAuthOptions, createLoggers, loggerOptions, MetricsModule } from '@mcp-platform/service-runtime';
import { ClientConfig } from './config/client-config';
import { clientConfigProvider } from './config/client-config.provider';
import { CatalogueStore } from './discovery/catalogue-store';
import { DEFAULT_DISCOVERY_REQUEST_TIMEOUT_MS, DISCOVERY_OPTIONS, DiscoveryOptions } from './discovery/discovery.options';
import { ToolDiscoveryService } from './discovery/tool-discovery.service';
import { HealthController } from './health/health.controller';
import { McpServerHealthIndicator } from './health/mcp-server.health';
import { EntraTokenAuthProvider } from './mcp/entra-token.auth-provider';
import { MCP_CONNECTION_OPTIONS, McpConnection, McpConnectionOptions } from './mcp/mcp-connection';
import { createNodeHttpFetch } from './mcp/node-http-fetch';
import { createRequestIdFetch } from './mcp/request-context';
import { ClientMetrics } from './metrics/client.metrics';
import { OpenApiDocumentService } from './openapi/openapi-document.service';
import { SchemaCompiler } from './schemas/schema-compiler';
import { ApiExceptionFilter } from './tools/api-exception.filter';
import { ArgumentValidator } from './tools/argument-validator';
import { TOOL_CALL_OPTIONS, ToolCallOptions, ToolCallService } from './tools/tool-call.service';
import { ToolsController } from './tools/tools.controller';

export const CLIENT_NAME = 'mcp-client';
export const CLIENT_VERSION = process.env['APP_VERSION'] ?? '1.0.0';

@Global()
@Module({})
class ClientConfigModule {
  static forRoot(config: ClientConfig): DynamicModule {
    const provider = clientConfigProvider(config);
    return { module: ClientConfigModule, providers: [provider], exports: [provider] };
  }
}

function connectionOptions(config: ClientConfig, tokens: TokenProvider, schemas: SchemaCompiler): McpConnectionOptions {
  return {
    url: new URL(config.MCP_SERVER_URL),
    clientInfo: { name: CLIENT_NAME, version: CLIENT_VERSION },
    authProvider: config.MCP_SERVER_SCOPE ? new EntraTokenAuthProvider(tokens, config.MCP_SERVER_SCOPE) : undefined,
    fetch: createRequestIdFetch(createNodeHttpFetch(config.MCP_MAX_RESPONSE_BYTES)),
    followListChanged: config.DISCOVERY_LIST_CHANGED,
    schemas,
    maxResponseBytes: config.MCP_MAX_RESPONSE_BYTES,
  };
}

function discoveryOptions(config: ClientConfig): DiscoveryOptions {
  const intervalMs = config.DISCOVERY_INTERVAL * 1000;
  return {
    serverUrl: displayUrl(config.MCP_SERVER_URL),
    intervalMs,
    requestTimeoutMs: Math.min(DEFAULT_DISCOVERY_REQUEST_TIMEOUT_MS, intervalMs),
    backoff: { initialDelayMs: config.DISCOVERY_RETRY_INITIAL_DELAY * 1000, maxDelayMs: config.DISCOVERY_RETRY_MAX_DELAY * 1000 },
  };
}

@Module({})
export class AppModule {
  static forRoot(config: ClientConfig, rootLogger: pino.Logger = createLoggers(config.LOG_LEVEL).root): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ClientConfigModule.forRoot(config),
        // A line logged while serving a call carries its reqId through the root logger's mixin (bootstrap enters the context).
        LoggerModule.forRoot(loggerOptions(rootLogger)),
        AzureAuthModule.forRoot(azureAuthOptions(config)),
        MetricsModule,
        HealthModule.forRoot({ tokenScopes: config.MCP_SERVER_SCOPE ? [config.MCP_SERVER_SCOPE] : [] }),
      ],
      controllers: [ToolsController, HealthController],
      providers: [
        {
          provide: MCP_CONNECTION_OPTIONS,
          useFactory: (tokens: TokenProvider, schemas: SchemaCompiler) => connectionOptions(config, tokens, schemas),
          inject: [TokenProvider, SchemaCompiler],
        },
        { provide: DISCOVERY_OPTIONS, useValue: discoveryOptions(config) },
        { provide: TOOL_CALL_OPTIONS, useValue: { serverUrl: displayUrl(config.MCP_SERVER_URL), timeoutMs: config.TOOL_CALL_TIMEOUT * 1000 } satisfies ToolCallOptions },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        SchemaCompiler,
        McpConnection,
        CatalogueStore,
        ToolDiscoveryService,
        ArgumentValidator,
        ToolCallService,
        ClientMetrics,
        OpenApiDocumentService,
        McpServerHealthIndicator,
      ],
    };
  }
}
