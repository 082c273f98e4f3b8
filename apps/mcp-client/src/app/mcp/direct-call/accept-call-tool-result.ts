import type { CallToolResult } from '@modelcontextprotocol/client';

/**
 * The `tools/call` results the direct path takes as they are, without the SDK's zod decoding:
 * only shapes the SDK is known to return unchanged (or, on 2026-07-28, minus `resultType`), which
 * `direct-tool-call.spec.ts` checks against a real SDK client on generated results. Text blocks,
 * an object of structured content, `isError`, and on 2026-07-28 the server's `serverInfo` meta.
 * Anything else returns undefined and goes to the SDK, which decodes it as it always has.
 */
export function acceptCallToolResult(raw: unknown, modern: boolean): CallToolResult | undefined {
  if (!isPlainObject(raw)) return undefined;
  for (const key of Object.keys(raw)) {
    if (!ACCEPTED_KEYS.has(key)) return undefined;
  }
  if (modern ? raw['resultType'] !== 'complete' : 'resultType' in raw) return undefined;
  const { content, structuredContent, isError, _meta } = raw;
  if (!Array.isArray(content) || !content.every(isTextBlock)) return undefined;
  if (structuredContent !== undefined && !(isPlainObject(structuredContent) && !Object.hasOwn(structuredContent, '__proto__'))) return undefined;
  if (isError !== undefined && typeof isError !== 'boolean') return undefined;
  if (_meta !== undefined && !(modern && isServerInfoMeta(_meta))) return undefined;
  const result: CallToolResult = _meta === undefined ? { content } : { _meta, content };
  if (structuredContent !== undefined) result.structuredContent = structuredContent;
  if (isError !== undefined) result.isError = isError;
  return result;
}

const ACCEPTED_KEYS = new Set(['content', 'structuredContent', 'isError', '_meta', 'resultType']);
const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

function isTextBlock(block: unknown): boolean {
  if (!isPlainObject(block)) return false;
  const keys = Object.keys(block);
  return keys.length === 2 && block['type'] === 'text' && typeof block['text'] === 'string';
}

/** `{ "io.modelcontextprotocol/serverInfo": { name, version } }`, as 2026-07-28 servers attach to results. */
function isServerInfoMeta(meta: unknown): meta is Record<string, unknown> {
  if (!isPlainObject(meta)) return false;
  const keys = Object.keys(meta);
  if (keys.length !== 1 || keys[0] !== SERVER_INFO) return false;
  const info = meta[SERVER_INFO];
  return isPlainObject(info) && Object.keys(info).length === 2 && typeof info['name'] === 'string' && typeof info['version'] === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
