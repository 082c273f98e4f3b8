import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { McpHttpEndpoint } from './mcp-http.endpoint';
import { McpMessagesHandler } from './mcp-messages.handler';
import { McpServerFactory } from './mcp-server.factory';
import { ConfigurableModuleClass } from './mcp-tools.options';
import { ToolCallMetrics } from './tool-call.metrics';
import { ToolRegistry } from './tool-registry';

/** The tool registry and the MCP endpoints that serve it. Import once, in the app's root module. */
@Module({
  imports: [DiscoveryModule],
  providers: [ToolRegistry, ToolCallMetrics, McpServerFactory, McpHttpEndpoint, McpMessagesHandler],
  exports: [ToolRegistry, McpHttpEndpoint, McpMessagesHandler],
})
export class McpToolsModule extends ConfigurableModuleClass {}
