import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { McpBearerAuth } from './mcp-bearer-auth';
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
  private readonly auth?: McpBearerAuth;

  constructor(factory: McpServerFactory, @Inject(MCP_TOOLS_OPTIONS) options: McpToolsModuleOptions) {
    const maxRequestBodySize = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
    const allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
    // Rejected requests (bad versions, malformed bodies) are the caller's mistake: not worth more than debug.
    const onerror = (error: Error) => this.logger.debug(`MCP request rejected: ${error.message}`);
    this.handler = createMcpHandler((context) => factory.create(context), { onerror, maxRequestBodySize });
    this.nodeHandler = toNodeHandler(this.handler, { onerror, maxRequestBodySize });
    this.hostAllowed = hostHeaderValidation(allowedHosts);
    this.originAllowed = originValidation(options.allowedOrigins ?? allowedHosts);
    if (options.auth) this.auth = new McpBearerAuth(options.auth);
  }

  /** Serves one request; answers it in every case (403 for a foreign Host or Origin, 401/403 without a valid token). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.admit(req, res))) return;
    await this.nodeHandler(req, res);
  }

  /**
   * The checks every MCP-facing endpoint of the server shares: Host, Origin, and the bearer token
   * when inbound auth is on. Answers the request itself and returns false when refusing it.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!this.hostAllowed(req, res) || !this.originAllowed(req, res)) return false;
    return this.auth ? this.auth.admits(req, res) : true;
  }

  /** RFC 9728 protected-resource metadata, or undefined when inbound auth is off. */
  protectedResourceMetadata(req: IncomingMessage): object | undefined {
    return this.auth?.metadata(req);
  }

  async onModuleDestroy(): Promise<void> {
    await this.handler.close();
  }
}
