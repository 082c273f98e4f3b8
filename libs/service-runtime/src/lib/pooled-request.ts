import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface PooledAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface PooledRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A larger answer is refused while it streams in (declared or counted): rejected with ResponseTooLargeError. */
  maxResponseBytes?: number;
  /** The request's own deadline; with it, `onTimeout` builds the error it is rejected with. */
  timeoutMs?: number;
  onTimeout?: () => Error;
  /** The caller's cancellation: on abort the request is cut and rejected with the signal's reason. */
  signal?: AbortSignal;
}

/** An answer over `maxResponseBytes`: the request was cut, nothing more of it was read. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';

  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
  }
}

/**
 * One request on an undici dispatcher, read whole into a Buffer, given up at its deadline or when
 * the caller's signal aborts. Both apps' hot outbound calls go through it: the client's calls to
 * the MCP server and the server's calls to the backend API.
 *
 * It is a dispatch handler rather than `pool.request()`: `request` wraps every answer in a body
 * stream and ties a per-call AbortSignal to it, about a fifth of the client's CPU per forwarded
 * call (the client alone on one core: ~9,600 -> ~12,700 calls/s). Against node:http's client with a
 * keep-alive agent, a GET costs about half the CPU (23 vs 52 µs a call, one process on one core).
 * A failure rejects with undici's own error.
 */
export function pooledRequest(dispatcher: Dispatcher, request: PooledRequest): Promise<PooledAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new CollectingHandler(resolve, reject, request.maxResponseBytes ?? Number.POSITIVE_INFINITY);
    const { signal, timeoutMs, onTimeout } = request;
    if (signal?.aborted) return handler.failWith(signal.reason);
    if (timeoutMs !== undefined) handler.deadline = setTimeout(() => handler.abandon(onTimeout?.() ?? new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    if (signal) handler.watch(signal);
    try {
      dispatcher.dispatch({ path: request.path, method: request.method, headers: request.headers, body: request.body }, handler);
    } catch (error) {
      // Refused before it started (a closed pool, bad options): settled now, so the deadline never fires.
      handler.failWith(error as Error);
    }
  });
}

class CollectingHandler implements Dispatcher.DispatchHandler {
  deadline?: NodeJS.Timeout;
  private signal?: AbortSignal;
  private controller?: Dispatcher.DispatchController;
  private abandoned?: Error;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly resolve: (answer: PooledAnswer) => void,
    private readonly reject: (error: Error) => void,
    private readonly maxResponseBytes: number,
  ) {}

  watch(signal: AbortSignal): void {
    this.signal = signal;
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Gives the request up now; a request still waiting for a connection is aborted as soon as it gets one. */
  abandon(reason: Error): void {
    this.abandoned = reason;
    this.controller?.abort(reason);
    this.failWith(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abandoned) controller.abort(this.abandoned);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
    if (Number(headers['content-length']) > this.maxResponseBytes) this.abandon(new ResponseTooLargeError(this.maxResponseBytes));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxResponseBytes) return this.abandon(new ResponseTooLargeError(this.maxResponseBytes));
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settle();
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failWith(error);
  }

  failWith(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }

  private readonly onAbort = (): void => this.abandon(this.signal?.reason);

  /** Clears the deadline and stops listening to the caller: settled once, on every outcome. */
  private settle(): void {
    this.settled = true;
    clearTimeout(this.deadline);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
