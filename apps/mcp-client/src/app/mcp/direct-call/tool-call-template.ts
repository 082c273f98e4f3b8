import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * What the SDK puts on the wire for a `tools/call` on one connection, minus what varies per call:
 * the headers (protocol version, session, accept...) and, on 2026-07-28, the `_meta` envelope.
 * Learned from the SDK's own first call, so the direct path sends what the SDK would, in either era.
 */
export interface ToolCallTemplate {
  headers: Record<string, string>;
  /** Whether the SDK names the tool in an `mcp-name` header (2026-07-28). */
  namesTool: boolean;
  meta?: Record<string, unknown>;
}

// Per call or per tool: set by the direct path itself for each call.
const PER_CALL_HEADERS = new Set(['authorization', 'x-request-id', 'mcp-name', 'content-length']);

/**
 * fetch for the SDK transport that watches `tools/call` exchanges until one is answered with
 * `200 application/json`, and hands `learn` what the SDK sent. A server that answers with an event
 * stream teaches nothing: the direct path only reads JSON answers.
 */
export function createTemplateLearningFetch(base: FetchLike, isLearning: () => boolean, learn: (template: ToolCallTemplate) => void): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!isLearning() || init?.method !== 'POST' || typeof init.body !== 'string' || !init.body.includes('"tools/call"')) return response;
    if (response.status !== 200 || !isJson(response.headers.get('content-type'))) return response;
    const template = templateOf(new Headers(init.headers), JSON.parse(init.body) as unknown);
    if (template) learn(template);
    return response;
  };
}

function templateOf(sent: Headers, body: unknown): ToolCallTemplate | undefined {
  const request = body as { method?: unknown; params?: Record<string, unknown> };
  if (request.method !== 'tools/call' || typeof request.params !== 'object' || request.params === null) return undefined;
  const { name, arguments: args, _meta: meta, ...other } = request.params;
  // Anything else in the params (a progress token, a task) is not what every call sends.
  if (typeof name !== 'string' || Object.keys(other).length > 0 || (args !== undefined && typeof args !== 'object')) return undefined;
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || 'progressToken' in meta)) return undefined;
  const headers: Record<string, string> = {};
  let namesTool = false;
  let mirrorsParameters = false;
  sent.forEach((value, header) => {
    if (header === 'mcp-name') namesTool = true;
    if (header.startsWith('mcp-param-')) mirrorsParameters = true;
    if (!PER_CALL_HEADERS.has(header)) headers[header] = value;
  });
  if (mirrorsParameters) return undefined;
  return { headers, namesTool, ...(meta !== undefined && { meta: meta as Record<string, unknown> }) };
}

export function isJson(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}
