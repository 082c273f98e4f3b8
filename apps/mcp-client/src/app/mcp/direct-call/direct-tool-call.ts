import { STATUS_CODES } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { Pool } from 'undici';
import { CLIENT_IDLE_TIMEOUT_MS, pooledRequest } from '@mcp-platform/service-runtime';
import type { CatalogueTool } from '../../discovery/catalogue';
import { acceptCallToolResult } from './accept-call-tool-result';
import type { RecordedResponse } from './recorded-response';
import { isJson, ToolCallTemplate } from './tool-call-template';

/** The SDK's answer to an unanswered request (protocol.ts), so a timeout reads the same on both paths. */
export function requestTimedOut(timeoutMs: number): SdkError {
  return new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs });
}

export type DirectCallOutcome = { result: CallToolResult } | { unread: RecordedResponse };

export interface DirectCallRequest {
  tool: CatalogueTool;
  args: Record<string, unknown>;
  timeoutMs: number;
  /** `Bearer ...` from the connection's auth provider, when it has one. */
  authorization?: string;
  /** The facade request's id, passed on as `x-request-id`. */
  requestId?: string;
  /** Tells the server the call is abandoned (2025 revisions, where a timeout is a `notifications/cancelled`). */
  cancel: (jsonrpcId: string, reason: string) => void;
  /** The facade caller's presence: aborted when it went away, which cuts the request to the server. */
  signal?: AbortSignal;
}

// Names that go into `mcp-name` unencoded; other names keep to the SDK (which base64-encodes them).
const PLAIN_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * One `tools/call` as a single JSON-RPC POST on a keep-alive undici pool, for one connection: the
 * SDK's request machinery (zod decoding of every message, web streams, per-request abort plumbing)
 * was ~80% of the client's CPU per forwarded call (`npm run bench -- --only facade --profile DIR`),
 * and undici's pool made the facade ~25% faster than `http.request` on a keep-alive agent.
 *
 * It sends what the SDK sends (the learned `ToolCallTemplate`) and reads only the plain answer:
 * `200 application/json` holding this request's result in a shape `acceptCallToolResult` takes.
 * Every other answer (an event stream, an HTTP or JSON-RPC error, an unusual result) comes back
 * unread for the SDK to decode. Tools whose schema declares `x-mcp-header` mirroring stay on the SDK.
 */
export class DirectToolCaller {
  private template?: ToolCallTemplate;
  private nextId = 0;
  private readonly pool: Pool;
  private readonly path: string;
  /** Credentials in the URL are sent by the SDK's fetch as Basic auth; such servers stay on the SDK. */
  private readonly urlHasCredentials: boolean;
  private readonly mirroring = new WeakMap<CatalogueTool, boolean>();

  /** An answer over this many bytes is cut (McpAnswerTooLargeError's limit, MCP_MAX_RESPONSE_BYTES). */
  constructor(
    url: URL,
    private readonly maxResponseBytes = Number.POSITIVE_INFINITY,
  ) {
    // The idle limit caps the server's keep-alive hint too, so this side always closes first.
    this.pool = new Pool(url.origin, { connections: 256, keepAliveTimeout: CLIENT_IDLE_TIMEOUT_MS, keepAliveMaxTimeout: CLIENT_IDLE_TIMEOUT_MS });
    this.path = `${url.pathname}${url.search}`;
    this.urlHasCredentials = url.username !== '' || url.password !== '';
  }

  get learning(): boolean {
    return this.template === undefined;
  }

  learn(template: ToolCallTemplate): void {
    this.template ??= template;
  }

  /** Forget the template: the server answered in a way the direct path does not read (its calls go to the SDK until it learns again). */
  unlearn(): void {
    this.template = undefined;
  }

  canCall(tool: CatalogueTool): boolean {
    return this.template !== undefined && !this.urlHasCredentials && PLAIN_TOOL_NAME.test(tool.name) && !this.mirrorsParameters(tool);
  }

  async call(request: DirectCallRequest): Promise<DirectCallOutcome> {
    const template = this.template as ToolCallTemplate;
    const jsonrpcId = `mcp-client-direct-${(this.nextId += 1)}`;
    const params = template.meta ? { name: request.tool.name, arguments: request.args, _meta: template.meta } : { name: request.tool.name, arguments: request.args };
    const headers: Record<string, string> = { ...template.headers };
    if (template.namesTool) headers['mcp-name'] = request.tool.name;
    if (request.authorization) headers['authorization'] = request.authorization;
    if (request.requestId) headers['x-request-id'] = request.requestId;
    const body = JSON.stringify({ method: 'tools/call', params, jsonrpc: '2.0', id: jsonrpcId });
    const answer = await this.exchange(body, headers, jsonrpcId, request);
    const json = isJson(answer.headers['content-type']);
    const result = answer.status === 200 && json ? resultOf(answer, jsonrpcId, template.meta !== undefined) : undefined;
    if (result) return { result };
    if (answer.status === 200 && !json) this.unlearn();
    return { unread: answer };
  }

  close(): void {
    void this.pool.destroy();
  }

  private async exchange(body: string, headers: Record<string, string>, jsonrpcId: string, call: DirectCallRequest): Promise<RecordedResponse> {
    let timeout: Error | undefined;
    try {
      const answer = await pooledRequest(this.pool, {
        method: 'POST',
        path: this.path,
        headers,
        body,
        timeoutMs: call.timeoutMs,
        maxResponseBytes: this.maxResponseBytes,
        signal: call.signal,
        onTimeout: () => {
          timeout = requestTimedOut(call.timeoutMs);
          // As the SDK does: 2026-07-28 abandons the request's own stream; 2025 also says so in a notification.
          if (this.template?.meta === undefined) call.cancel(jsonrpcId, String(timeout));
          return timeout;
        },
      });
      return { ...answer, statusText: STATUS_CODES[answer.status] ?? '', requestId: jsonrpcId };
    } catch (error) {
      // Abandoned like a timeout, as the SDK does on its signal: 2025 also says so in a notification.
      if (call.signal?.aborted && this.template?.meta === undefined) call.cancel(jsonrpcId, String(call.signal.reason));
      // What the SDK's fetch reports, so both paths end in the same error.
      throw error === timeout ? error : new TypeError('fetch failed', { cause: error });
    }
  }

  private mirrorsParameters(tool: CatalogueTool): boolean {
    let mirrors = this.mirroring.get(tool);
    if (mirrors === undefined) {
      mirrors = JSON.stringify(tool.inputSchema).includes('"x-mcp-header"');
      this.mirroring.set(tool, mirrors);
    }
    return mirrors;
  }
}

function resultOf(answer: RecordedResponse, jsonrpcId: string, modern: boolean): CallToolResult | undefined {
  let message: unknown;
  try {
    message = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const response = message as { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: unknown };
  if (typeof message !== 'object' || message === null || response.jsonrpc !== '2.0' || response.id !== jsonrpcId || 'error' in response) return undefined;
  if (Object.keys(response).length !== 3) return undefined;
  return acceptCallToolResult(response.result, modern);
}
