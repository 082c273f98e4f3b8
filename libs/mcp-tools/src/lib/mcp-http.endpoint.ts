import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { HeldStreams } from './held-streams';
import { McpBearerAuth } from './mcp-bearer-auth';
import { McpFastPath } from './mcp-fast-path';
import { McpServerFactory } from './mcp-server.factory';
import { overlongToolNameAnswer } from './overlong-tool-name';
import { MAX_JSON_DEPTH, nestsDeeperThan, readBoundedBody } from './request-body';
import { ToolRegistry } from './tool-registry';
import { DEFAULT_ALLOWED_HOSTS, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_STREAM_LIMITS, MCP_TOOLS_OPTIONS, McpToolsModuleOptions } from './mcp-tools.options';

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
  private readonly fastPath: McpFastPath;
  private readonly maxRequestBodySize: number;
  private readonly streams: HeldStreams;

  constructor(factory: McpServerFactory, registry: ToolRegistry, @Inject(MCP_TOOLS_OPTIONS) options: McpToolsModuleOptions) {
    const maxRequestBodySize = options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
    this.maxRequestBodySize = maxRequestBodySize;
    this.fastPath = new McpFastPath(registry, options.serverInfo);
    const allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
    // Rejected requests (bad versions, malformed bodies) are the caller's mistake: not worth more than debug.
    const onerror = (error: Error) => this.logger.debug(`MCP request rejected: ${error.message}`);
    const streamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streams };
    // The SDK's own subscription cap (1,024) is kept in step, so ours is the one a caller meets.
    this.handler = createMcpHandler((context) => factory.create(context), { onerror, maxRequestBodySize, maxSubscriptions: streamLimits.maxStreams });
    this.nodeHandler = toNodeHandler(this.handler, { onerror, maxRequestBodySize });
    this.streams = new HeldStreams(this.handler, streamLimits, maxRequestBodySize);
    this.hostAllowed = hostHeaderValidation(allowedHosts);
    this.originAllowed = originValidation(options.allowedOrigins ?? allowedHosts);
    if (options.auth) this.auth = new McpBearerAuth(options.auth);
  }

  /** Serves one request; answers it in every case (403 for a foreign Host or Origin, 401/403 without a valid token). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.admit(req, res))) return;
    if (req.method === 'GET') return this.streams.serve(req, res, undefined);
    if (req.method !== 'POST') return this.nodeHandler(req, res);
    const read = await readBoundedBody(req, this.maxRequestBodySize);
    if (read.kind === 'unread') return this.nodeHandler(req, res);
    if (read.kind === 'too-large') return sendJsonRpcError(res, 413, -32000, `Payload Too Large: Request body must not exceed ${this.maxRequestBodySize} bytes`);
    const raw = read.raw;
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) return sendJsonRpcError(res, 400, -32700, `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const body = parseJson(raw);
    if (body === NOT_JSON) return this.answerFromSdk(req, res, raw);
    if (isListenRequest(body)) return this.streams.serve(req, res, body);
    const refused = overlongToolNameAnswer(body);
    if (refused) return sendJson(res, 200, refused);
    const answer = await this.fastPath.tryAnswer(req, body, headerValue(req, 'x-request-id'), res);
    if (!answer) return this.nodeHandler(req, res, body);
    sendJson(res, answer.status, answer.body);
  }

  /** A body the SDK must see as text (it is not JSON): its web-standard face answers it. */
  private async answerFromSdk(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const response = await this.handler.fetch(new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/mcp'}`, { method: 'POST', headers, body: raw }));
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
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

const NOT_JSON = Symbol('not-json');

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(body);
}

function isListenRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { method?: unknown }).method === 'subscriptions/listen';
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
