import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@modelcontextprotocol/client';

interface OutboundRequestContext {
  /** The id of the REST request being served, passed on to the MCP server as `x-request-id`. */
  requestId: string;
}

const context = new AsyncLocalStorage<OutboundRequestContext>();

/** Runs `work` with `requestId` attached to the MCP requests it makes. */
export function withRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return context.run({ requestId }, work);
}

/** The id of the REST request being served, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/**
 * Runs `work` outside any call's context: a connection opened while serving one call (the
 * handshake, the long-lived notification stream) belongs to no call and must not carry its id.
 */
export function outsideRequest<T>(work: () => T): T {
  return context.exit(work);
}

/**
 * fetch for the SDK transport that adds `x-request-id` from the current call, so one id follows a
 * call through the client's and the server's logs. Requests made outside a call (discovery) carry none.
 */
export function createRequestIdFetch(base: FetchLike = fetch): FetchLike {
  return (url, init) => {
    const requestId = context.getStore()?.requestId;
    if (!requestId) return base(url, init);
    const headers = new Headers(init?.headers);
    headers.set('x-request-id', requestId);
    return base(url, { ...init, headers });
  };
}
