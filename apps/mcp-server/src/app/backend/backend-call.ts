/**
 * The cancellation of one backend call, token wait and request: its own deadline
 * (BACKEND_API_TIMEOUT) and the caller's signal (the tool call's timeout, or the client going
 * away), whichever comes first, as one signal.
 */
export class BackendCall {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
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

  /** Disarms the deadline and stops listening to the caller; call once the call is settled. */
  end(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly onDeadline = (): void => {
    this.expired = true;
    this.controller.abort(new Error('deadline'));
  };

  private readonly onCallerAbort = (): void => this.controller.abort(this.callerSignal?.reason);
}
