import type { IncomingMessage, ServerResponse } from 'node:http';
import { toWebRequest } from '@modelcontextprotocol/node';
import type { FetchLikeMcpHandler } from '@modelcontextprotocol/node';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { callerKey } from './caller-key';
import { HTTP_REFUSAL, jsonRpcErrorBody } from './json-rpc-error';
import { sdkView } from './sdk-request-view';
import { StreamQuota, StreamRefusal } from './stream-quota';

export interface StreamLimits {
  /** Streams held open by the whole process. */
  maxStreams: number;
  /** Streams held open by one caller (see callerKey). */
  maxStreamsPerCaller: number;
  /** Longest a stream is held, in milliseconds; it then ends cleanly and the client reconnects. */
  maxStreamLifetimeMs: number;
}

/**
 * A listener reconnects at once by default: this spaces its retries without leaving it deaf for
 * long (notifications are hints; a tools/list answers whatever was missed meanwhile).
 */
export const STREAM_RETRY_AFTER_SECONDS = 30;

/**
 * The requests that hold a response open (`subscriptions/listen`, GET): admitted against the
 * stream limits, then served by the SDK handler with a signal of our own, so a stream that reaches
 * its lifetime ends like one whose client left: the SDK drops the subscription and the response
 * ends with its last chunk (a clean end, not a reset). Bounding the lifetime also bounds how long a
 * stream outlives the token that opened it.
 */
export class HeldStreams {
  private readonly quota: StreamQuota;

  constructor(
    private readonly handler: FetchLikeMcpHandler,
    private readonly limits: StreamLimits,
    private readonly maxRequestBodySize: number,
  ) {
    this.quota = new StreamQuota(limits.maxStreams, limits.maxStreamsPerCaller);
  }

  async serve(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, body: unknown): Promise<void> {
    const caller = callerKey(req);
    const refusal = this.quota.acquire(caller);
    if (refusal) return this.refuse(res, refusal, body);
    const ended = new AbortController();
    const lifetime = setTimeout(() => ended.abort(), this.limits.maxStreamLifetimeMs);
    res.once('close', () => {
      clearTimeout(lifetime);
      this.quota.release(caller);
      ended.abort();
    });
    const request = await toWebRequest(sdkView(req), body, { signal: ended.signal, maxRequestBodySize: this.maxRequestBodySize });
    const response = await this.handler.fetch(request, { ...(req.auth ? { authInfo: req.auth } : {}), ...(body === undefined ? {} : { parsedBody: body }) });
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (response.body) await pipe(response.body, res, ended.signal);
    if (!res.destroyed) res.end();
  }

  private refuse(res: ServerResponse, refusal: StreamRefusal, body: unknown): void {
    const message =
      refusal === 'caller-limit'
        ? `Too many open streams: this caller holds ${this.limits.maxStreamsPerCaller}, the most allowed; close one or retry later`
        : `Too many open streams: this server holds ${this.limits.maxStreams}, the most allowed; retry later`;
    const answer = jsonRpcErrorBody(HTTP_REFUSAL, message, requestIdOf(body));
    res.writeHead(refusal === 'caller-limit' ? 429 : 503, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
      'retry-after': String(STREAM_RETRY_AFTER_SECONDS),
    });
    res.end(answer);
  }
}

/** Copies the SDK's stream to the response, waiting for a slow reader rather than buffering for it. */
async function pipe(stream: ReadableStream<Uint8Array>, res: ServerResponse, ended: AbortSignal): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (ended.aborted || res.destroyed) break;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
  } catch {
    // The SDK errored the stream: end the response as it is.
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function requestIdOf(body: unknown): string | number | null {
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
