import type { ServerResponse } from 'node:http';

/** The reason a tool call is aborted with when its caller has gone. */
export class CallerGoneError extends Error {
  override readonly name = 'CallerGoneError';

  constructor() {
    super('the caller closed the connection before the answer');
  }
}

/**
 * A signal that aborts when the connection of a response closes before the answer is written: the
 * caller is gone, so the tool and its backend request stop rather than run on for nobody (40
 * callers that left after 150 ms left 39 backend calls running before this). `release()` once the
 * answer is ready, so the close that follows every answer does not count.
 */
export class CallerGone {
  private readonly controller = new AbortController();

  constructor(private readonly res: ServerResponse) {
    res.once('close', this.onClose);
    if (res.destroyed) this.onClose();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  release(): void {
    this.res.off('close', this.onClose);
  }

  private readonly onClose = (): void => this.controller.abort(new CallerGoneError());
}
