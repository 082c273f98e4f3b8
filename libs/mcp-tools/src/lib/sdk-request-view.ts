import type { IncomingMessage } from 'node:http';
import type { NodeIncomingMessageLike } from '@modelcontextprotocol/node';

/**
 * The Host of every web `Request` the SDK is given. The caller's Host has passed the allow-list,
 * but it is still the caller's text: the SDK builds its URL from it, so one fixed origin keeps
 * what it parses ours. Nothing in the SDK's answers depends on it.
 */
export const SDK_HOST = 'localhost';

/** The request as the SDK's Node adapter reads it (method, URL, headers, body stream), with its Host fixed. */
export function sdkView(req: IncomingMessage & { auth?: NodeIncomingMessageLike['auth'] }): NodeIncomingMessageLike {
  return {
    method: req.method,
    url: sdkPath(req),
    headers: { ...req.headers, host: SDK_HOST },
    auth: req.auth,
    [Symbol.asyncIterator]: () => req[Symbol.asyncIterator](),
  };
}

/** McpDirectRoute only takes `/mcp` and `/mcp?...`; anything else (an absolute-form target) is read as `/mcp`. */
export function sdkPath(req: IncomingMessage): string {
  const url = req.url ?? '';
  return url.startsWith('/') ? url : '/mcp';
}
