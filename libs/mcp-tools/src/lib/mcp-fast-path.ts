import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
  ProtocolErrorCode,
  SERVER_INFO_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import type { CallToolResult, Implementation } from '@modelcontextprotocol/server';
import { callerConnection } from './caller-gone';
import { jsonRpcErrorBody } from './json-rpc-error';
import { ToolRegistry, UnknownToolError } from './tool-registry';

const MODERN_REVISION = '2026-07-28';
const LEGACY_REVISIONS = new Set<string>(SUPPORTED_PROTOCOL_VERSIONS);

export interface FastPathAnswer {
  status: number;
  body: string;
}

type JsonObject = Record<string, unknown>;

/**
 * The hot path of `/mcp`: `tools/call` and `tools/list` answered straight from the registry, without
 * building an SDK server, a transport and WHATWG Request/Response objects per request (measured: that
 * construction is most of the stock handler's cost). It takes only requests that plainly pass every
 * check the SDK makes — a single JSON-RPC request, JSON content type, an Accept header naming both
 * JSON and SSE, and one of two unambiguous era shapes (modern: a complete 2026-07-28 envelope whose
 * Mcp-* headers match the body; legacy: a supported `MCP-Protocol-Version` header and no envelope
 * claim) — and returns `undefined` for anything else, which the stock SDK handler then answers.
 * These shape checks stand in for the SDK's `classifyInboundRequest`, whose failing zod checks cost
 * ~10 µs a request; mcp-fast-path.spec.ts sends the same requests to both paths and compares.
 */
export class McpFastPath {
  private readonly serverInfoMeta: JsonObject;
  /** What a 2026-07-28 result without _meta of its own ends with, serialised once. */
  private readonly modernResultTail: string;

  constructor(
    private readonly registry: ToolRegistry,
    serverInfo: Implementation,
  ) {
    this.serverInfoMeta = { [SERVER_INFO_META_KEY]: serverInfo };
    this.modernResultTail = `,"resultType":"complete","_meta":${JSON.stringify(this.serverInfoMeta)}}`;
  }

  /** With `res`, a caller that closes its connection before the answer cancels the tool call. */
  async tryAnswer(req: IncomingMessage, body: unknown, requestId?: string, res?: ServerResponse): Promise<FastPathAnswer | undefined> {
    const era = this.eligibleEra(req, body);
    if (!era) return undefined;
    const message = body as { id: string | number; method: string; params?: JsonObject };
    const modern = era === 'modern';
    if (message.method === 'tools/list') {
      const result = modern ? { tools: this.registry.list(), ttlMs: 0, cacheScope: 'private', resultType: 'complete', _meta: this.serverInfoMeta } : { tools: this.registry.list() };
      return respond(message.id, result);
    }
    const params = message.params as JsonObject;
    try {
      const result: CallToolResult = await this.registry.call(params['name'] as string, params['arguments'] ?? {}, { requestId, caller: res && callerConnection(res) });
      if (!modern) return respond(message.id, result);
      if (result._meta === undefined) return this.respondModern(message.id, result);
      return respond(message.id, { ...result, resultType: 'complete', _meta: { ...result._meta, ...this.serverInfoMeta } });
    } catch (error) {
      if (error instanceof UnknownToolError) {
        return { status: 200, body: jsonRpcErrorBody(ProtocolErrorCode.InvalidParams, error.message, message.id) };
      }
      throw error;
    }
  }

  /**
   * Most results carry no _meta of their own: the 2026-07-28 fields are appended to the result's
   * JSON as text serialised once, rather than copied into the result and serialised per call
   * (~0.25 µs of the ~2 µs the modern era costs over the legacy one). A result always has
   * `content`, so its JSON is never `{}`.
   */
  private respondModern(id: string | number, result: CallToolResult): FastPathAnswer {
    const json = JSON.stringify(result);
    return { status: 200, body: `{"result":${json.slice(0, -1)}${this.modernResultTail},"jsonrpc":"2.0","id":${JSON.stringify(id)}}` };
  }

  private eligibleEra(req: IncomingMessage, body: unknown): 'modern' | 'legacy' | undefined {
    if (req.method !== 'POST' || !isJsonContentType(req.headers['content-type'])) return undefined;
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
    if (!isObject(body) || body['jsonrpc'] !== '2.0' || !isRequestId(body['id'])) return undefined;
    const method = body['method'];
    if (method !== 'tools/call' && method !== 'tools/list') return undefined;
    if (!this.hasPlainParams(method, body['params'])) return undefined;

    const params = body['params'] as JsonObject | undefined;
    const meta = params?.['_meta'] as JsonObject | undefined;
    const versionHeader = header(req, 'mcp-protocol-version');
    if (versionHeader === MODERN_REVISION) {
      const headersAgree = header(req, 'mcp-method') === method && (method !== 'tools/call' || header(req, 'mcp-name') === params?.['name']);
      return headersAgree && isPlainModernEnvelope(meta) ? 'modern' : undefined;
    }
    // A 2025-era request: a supported version header and no per-request envelope claim at all.
    if (versionHeader && LEGACY_REVISIONS.has(versionHeader) && !(meta && PROTOCOL_VERSION_META_KEY in meta)) return 'legacy';
    return undefined;
  }

  /** Only the plain shapes: no pagination cursor, no task augmentation, no progress token. */
  private hasPlainParams(method: string, params: unknown): boolean {
    if (params === undefined) return method === 'tools/list';
    if (!isObject(params)) return false;
    const meta = params['_meta'];
    if (meta !== undefined && (!isObject(meta) || 'progressToken' in meta)) return false;
    if (method === 'tools/list') return !('cursor' in params);
    const args = params['arguments'];
    return typeof params['name'] === 'string' && !('task' in params) && (args === undefined || isObject(args));
  }
}

function respond(id: string | number, result: object): FastPathAnswer {
  return { status: 200, body: JSON.stringify({ result, jsonrpc: '2.0', id }) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

/** The three reserved envelope keys, each well formed; anything less or odd goes to the SDK. */
function isPlainModernEnvelope(meta: JsonObject | undefined): boolean {
  if (!meta || meta[PROTOCOL_VERSION_META_KEY] !== MODERN_REVISION) return false;
  const clientInfo = meta[CLIENT_INFO_META_KEY];
  const capabilities = meta[CLIENT_CAPABILITIES_META_KEY];
  return (
    isObject(clientInfo) &&
    typeof clientInfo['name'] === 'string' &&
    typeof clientInfo['version'] === 'string' &&
    isObject(capabilities)
  );
}
