import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { jsonRpcErrorBody } from './json-rpc-error';
import { MAX_TOOL_NAME_LENGTH } from './mcp-tool.decorator';
import { UnknownToolError } from './tool-registry';

/**
 * The JSON-RPC answer to a `tools/call` naming a tool longer than any tool can be, or undefined for
 * any other body. Such a call is answered before the SDK sees it: the SDK's check that the
 * `Mcp-Name` header matches the body echoes the whole name back (a 10 kB name came back whole).
 */
export function overlongToolNameAnswer(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: { name?: unknown } };
  if (message.method !== 'tools/call' || message.jsonrpc !== '2.0') return undefined;
  const name = message.params?.name;
  if (typeof name !== 'string' || name.length <= MAX_TOOL_NAME_LENGTH) return undefined;
  const id = message.id;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  return jsonRpcErrorBody(ProtocolErrorCode.InvalidParams, new UnknownToolError(name).message, id);
}
