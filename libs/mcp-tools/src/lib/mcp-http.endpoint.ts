import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { McpServerFactory } from './mcp-server.factory';
import { DEFAULT_ALLOWED_HOSTS, DEFAULT_MAX_REQUEST_BODY_BYTES, MCP_TOOLS_OPTIONS, McpToolsModuleOptions } from './mcp-tools.options';

/**
 * The Streamable HTTP endpoint (`/mcp`) for both protocol families: 2026-07-28 and, through the
 * SDK's stateless fallback, the 2025 revisions. No session state is kept, so any replica can answer
 * any request. Host and Origin are checked before the SDK sees the request.
 */
@Injectable()
export class McpHttpEndpoint implements OnModuleDestroy {
  private readonly logger = new Logger(McpHttpEndpoint.name);
  private readonly handler;
  private readonly nodeHandler;
  private readonly hostAllowed;
  private readonly originAllowed;

  constructor(factory: McpServerFactory, @Inject(MCP_TOOLS_OPTIONS) options: McpToolsModuleOptions) {
    const maxRequestBodySize = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
    const allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
    // Rejected requests (bad versions, malformed bodies) are the caller's mistake: not worth more than debug.
    const onerror = (error: Error) => this.logger.debug(`MCP request rejected: ${error.message}`);
    this.handler = createMcpHandler((context) => factory.create(context), { onerror, maxRequestBodySize });
    this.nodeHandler = toNodeHandler(this.handler, { onerror, maxRequestBodySize });
    this.hostAllowed = hostHeaderValidation(allowedHosts);
    this.originAllowed = originValidation(options.allowedOrigins ?? allowedHosts);
  }

  /** Serves one request; answers it in every case (403 for a foreign Host or Origin). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.admits(req, res)) return;
    await this.nodeHandler(req, res);
  }

  /** Host and Origin checks alone, for other endpoints of the same server; answers 403 itself when refusing. */
  admits(req: IncomingMessage, res: ServerResponse): boolean {
    return this.hostAllowed(req, res) && this.originAllowed(req, res);
  }

  async onModuleDestroy(): Promise<void> {
    await this.handler.close();
  }
}
