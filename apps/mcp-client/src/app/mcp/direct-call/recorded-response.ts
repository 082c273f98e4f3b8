import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { FetchLike } from '@modelcontextprotocol/client';

/** A server's whole answer to one direct `tools/call`, kept to hand to the SDK when the direct path does not take it. */
export interface RecordedResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The JSON-RPC id the direct path sent. */
  requestId: string;
}

const pending = new AsyncLocalStorage<{ response?: RecordedResponse }>();

/**
 * Runs `work` (an SDK `callTool`) so that its `tools/call` POST is answered with `response`
 * instead of going to the server again: a call must reach the server once, whoever reads the answer.
 */
export function answeringWith<T>(response: RecordedResponse, work: () => Promise<T>): Promise<T> {
  return pending.run({ response }, work);
}

/**
 * fetch for the SDK transport that answers the SDK's `tools/call` from the recorded response of
 * `answeringWith`, once, with the JSON-RPC id rewritten to the one the SDK chose. Every other
 * request goes to `base`.
 */
export function createReplayingFetch(base: FetchLike): FetchLike {
  return (url, init) => {
    const slot = pending.getStore();
    const recorded = slot?.response;
    if (!recorded || init?.method !== 'POST' || typeof init.body !== 'string') return base(url, init);
    const sdkRequest = JSON.parse(init.body) as { method?: unknown; id?: unknown };
    if (sdkRequest.method !== 'tools/call') return base(url, init);
    slot.response = undefined;
    return Promise.resolve(toFetchResponse(recorded, JSON.stringify(sdkRequest.id)));
  };
}

function toFetchResponse(recorded: RecordedResponse, sdkId: string): Response {
  // The direct id is ours and unique, so it appears as a JSON-RPC `id` member only where the
  // server answered that request: in a JSON body and in an event stream's `data:` lines alike.
  const idMember = new RegExp(`"id"\\s*:\\s*${escapeRegExp(JSON.stringify(recorded.requestId))}`, 'g');
  const body = recorded.body.toString('utf8').replace(idMember, `"id":${sdkId}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (name === 'content-length' || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = recorded.status !== 204 && recorded.status !== 304;
  return new Response(hasBody ? body : null, { status: recorded.status, statusText: recorded.statusText, headers });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
