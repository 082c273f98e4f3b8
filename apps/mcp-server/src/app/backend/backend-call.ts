import type { ClientRequest } from 'node:http';

/**
 * The cancellation of one backend call: its own deadline (BACKEND_API_TIMEOUT) and the caller's
 * signal (the tool call's timeout, or the client going away), whichever comes first. The request
 * in flight is destroyed directly rather than through the `signal` option of `http.get`: that
 * option's listener and end-of-stream watcher were measured at ~3.5 µs of a get_user_profile call
 * (`npm run bench -- --profile`). `signal` is still there for the token wait.
 */
export class BackendCall {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private request?: ClientRequest;
  private expired = false;

  constructor(
    timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.timer = setTimeout(this.onDeadline, timeoutMs);
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.onCallerAbort();
  }

  /** Aborted at the deadline or with the caller's signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the call ran out of its own time (not the caller's). */
  get timedOut(): boolean {
    return this.expired;
  }

  get cancelledByCaller(): boolean {
    return this.callerSignal?.aborted === true;
  }

  /** The request to destroy if the call is cancelled; destroyed at once when it already is. */
  attach(request: ClientRequest): void {
    this.request = request;
    if (this.controller.signal.aborted) request.destroy(abortError(this.controller.signal.reason));
  }

  /** Disarms the deadline and stops listening to the caller; call once the call is settled. */
  end(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.request = undefined;
  }

  private readonly onDeadline = (): void => {
    this.expired = true;
    this.cancel(new Error('deadline'));
  };

  private readonly onCallerAbort = (): void => this.cancel(this.callerSignal?.reason);

  private cancel(reason: unknown): void {
    this.controller.abort(reason);
    this.request?.destroy(abortError(reason));
  }
}

/** What `http.get` destroys a request with when its `signal` aborts. */
function abortError(reason: unknown): Error {
  return new DOMException('The operation was aborted', { name: 'AbortError', cause: reason });
}
