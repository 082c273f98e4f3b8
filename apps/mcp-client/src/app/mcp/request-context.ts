import type { FetchLike } from '@modelcontextprotocol/client';
import { currentRequestId } from '@mcp-platform/service-runtime';

/**
 * fetch for the SDK transport that adds `x-request-id` from the request being served
 * (`withRequestId`), so one id follows a call through the client's and the server's logs.
 * Requests made outside a call (discovery) carry none.
 */
export function createRequestIdFetch(base: FetchLike = fetch): FetchLike {
  return (url, init) => {
    const requestId = currentRequestId();
    if (!requestId) return base(url, init);
    const headers = new Headers(init?.headers);
    headers.set('x-request-id', requestId);
    return base(url, { ...init, headers });
  };
}
