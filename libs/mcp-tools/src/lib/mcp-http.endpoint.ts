import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { checkHost, HostAllowListCheck, hostAllowListCheck } from '@mcp-platform/service-runtime';
import { HeldStreams } from './held-streams';
import { SDK_HOST, sdkPath, sdkView } from './sdk-request-view';
import { HTTP_REFUSAL, PARSE_ERROR, sendJsonRpcError } from './json-rpc-error';
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
  private readonly foreignHostOrOrigin: HostAllowListCheck;
  private readonly allowedHostnames: ReadonlySet<string>;
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
    this.foreignHostOrOrigin = hostAllowListCheck(allowedHosts, options.allowedOrigins ?? allowedHosts);
    this.allowedHostnames = new Set(allowedHosts.map((host) => host.toLowerCase()));
    if (options.auth) this.auth = new McpBearerAuth(options.auth, options.publicUrl);
  }

  /** Serves one request; answers it in every case (400 for a malformed Host, 403 for a foreign Host or Origin, 401/403 without a valid token). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.admit(req, res))) return;
    if (req.method === 'GET') return this.streams.serve(req, res, undefined);
    if (req.method !== 'POST') return this.nodeHandler(sdkView(req), res);
    const read = await readBoundedBody(req, this.maxRequestBodySize);
    if (read.kind === 'unread') return this.nodeHandler(sdkView(req), res);
    if (read.kind === 'too-large') {
      return sendJsonRpcError(res, 413, HTTP_REFUSAL, `Payload Too Large: Request body must not exceed ${this.maxRequestBodySize} bytes`, { connection: 'close' });
    }
    const raw = read.raw;
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) return sendJsonRpcError(res, 400, PARSE_ERROR, `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const body = parseJson(raw);
    if (body === NOT_JSON) return this.answerFromSdk(req, res, raw);
    if (isListenRequest(body)) return this.streams.serve(req, res, body);
    const refused = overlongToolNameAnswer(body);
    if (refused) return sendJson(res, 200, refused);
    const answer = await this.fastPath.tryAnswer(req, body, headerValue(req, 'x-request-id'), res);
    if (!answer) return this.nodeHandler(sdkView(req), res, body);
    sendJson(res, answer.status, answer.body);
  }

  /** A body the SDK must see as text (it is not JSON): its web-standard face answers it. */
  private async answerFromSdk(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    headers.set('host', SDK_HOST);
    const response = await this.handler.fetch(new Request(`http://${SDK_HOST}${sdkPath(req)}`, { method: 'POST', headers, body: raw }));
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  /**
   * The checks every MCP-facing endpoint of the server shares: Host, Origin, and the bearer token
   * when inbound auth is on. Answers the request itself and returns false when refusing it.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const refusal = this.foreignHostOrOrigin(req);
    if (refusal !== undefined) {
      sendJsonRpcError(res, refusal.status, HTTP_REFUSAL, refusal.message);
      return false;
    }
    return this.auth ? this.auth.admits(req, res) : true;
  }

  /**
   * RFC 9728 protected-resource metadata (404 while inbound auth is off). Caches keep it, so it is
   * refused for a Host outside the allow-list rather than reflecting it, and varies by what it is
   * built from.
   */
  serveProtectedResourceMetadata(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('vary', 'Host, X-Forwarded-Proto');
    // Host only: an MCP client in a browser of another origin may read the metadata.
    const refusal = checkHost(req, this.allowedHostnames);
    if (refusal !== undefined) return sendJsonRpcError(res, refusal.status, HTTP_REFUSAL, refusal.message);
    const metadata = this.auth?.metadata(req);
    if (metadata === undefined) return sendJsonRpcError(res, 404, HTTP_REFUSAL, 'Not Found: inbound auth is off, so there is no protected-resource metadata');
    const body = JSON.stringify(metadata);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'max-age=3600' });
    res.end(body);
  }

  async onModuleDestroy(): Promise<void> {
    await this.handler.close();
  }
}

const NOT_JSON = Symbol('not-json');

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
