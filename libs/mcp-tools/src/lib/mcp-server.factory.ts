import { Inject, Injectable } from '@nestjs/common';
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { McpRequestContext } from '@modelcontextprotocol/server';
import { MCP_TOOLS_OPTIONS, McpToolsModuleOptions } from './mcp-tools.options';
import { ToolRegistry, UnknownToolError } from './tool-registry';

/**
 * Builds the SDK `Server` that answers one MCP exchange. Everything per tool (schemas,
 * validators, handlers) lives in the registry and is built once; an instance here only binds the
 * two request handlers, so making one per request is cheap.
 */
@Injectable()
export class McpServerFactory {
  constructor(
    private readonly registry: ToolRegistry,
    @Inject(MCP_TOOLS_OPTIONS) private readonly options: McpToolsModuleOptions,
  ) {}

  create(context?: McpRequestContext): Server {
    const server = new Server(this.options.serverInfo, { capabilities: { tools: { listChanged: true } } });
    const requestId = context?.requestInfo?.headers.get('x-request-id') ?? undefined;
    server.setRequestHandler('tools/list', () => ({ tools: this.registry.list() }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      try {
        return await this.registry.call(request.params.name, request.params.arguments ?? {}, { requestId, signal: ctx.mcpReq.signal });
      } catch (error) {
        // The spec's answer to an unknown tool is a JSON-RPC error, not a tool result.
        if (error instanceof UnknownToolError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
        throw error;
      }
    });
    return server;
  }
}
