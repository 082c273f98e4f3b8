import type { ServerResponse } from 'node:http';

/**
 * The one error body of the MCP server, on every route: a JSON-RPC 2.0 error response,
 * `{"jsonrpc":"2.0","error":{"code","message"},"id":null}`, as the SDK answers on `/mcp`.
 * Refusals made at the HTTP level (status, media type, size, Host, token) use -32000, the SDK's
 * code for them; a body on an MCP route that is not JSON uses -32700; a failure of ours -32603.
 */
export const HTTP_REFUSAL = -32000;
export const PARSE_ERROR = -32700;
export const INTERNAL_ERROR = -32603;

export function jsonRpcErrorBody(code: number, message: string, id: string | number | null = null): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
}

/** Answers `res` with the error body; `headers` add to (or replace) the defaults. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  const body = jsonRpcErrorBody(code, message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}
