import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The reason a tool call is aborted with when its caller has gone. */
export class CallerGoneError extends Error {
  override readonly name = 'CallerGoneError';

  constructor() {
    super('the caller closed the connection before the answer');
  }
}

/**
 * The connection a tool call was asked on, for routes served without the SDK: when it closes
 * before the answer, the caller is gone, so the tool and its backend request stop rather than run
 * on for nobody (40 callers that left after 150 ms left 39 backend calls running before this).
 */
export interface CallerConnection {
  /** Aborts `call` (with a CallerGoneError) if the connection closes before unwatch(call). */
  watch(call: AbortController): void;
  unwatch(call: AbortController): void;
}

const CALLS = Symbol('mcp.callsOnConnection');
type WatchedSocket = Socket & { [CALLS]?: CallsOnSocket };

/**
 * The calls in flight on one socket: one at a time unless the client pipelines, so the first is
 * kept in a field and only further ones in a set (a set per socket churned its table on every call).
 */
class CallsOnSocket implements CallerConnection {
  private current?: AbortController;
  private pipelined?: Set<AbortController>;

  constructor(socket: Socket) {
    socket.once('close', () => {
      const gone = new CallerGoneError();
      this.current?.abort(gone);
      this.pipelined?.forEach((call) => call.abort(gone));
      this.current = this.pipelined = undefined;
    });
  }

  watch(call: AbortController): void {
    if (this.current === undefined) this.current = call;
    else (this.pipelined ??= new Set()).add(call);
  }

  unwatch(call: AbortController): void {
    if (this.current === call) this.current = undefined;
    else this.pipelined?.delete(call);
  }
}

/**
 * The connection of `res`. One 'close' listener per socket, kept for the socket's life, rather than
 * one per request: a listener and its closure per call raised the server's RSS under sustained load
 * by about 40 MB (`npm run bench -- --only memory`), for garbage alone.
 */
export function callerConnection(res: ServerResponse): CallerConnection {
  const socket = res.socket as WatchedSocket | null;
  if (socket === null || socket.destroyed) return GONE;
  return (socket[CALLS] ??= new CallsOnSocket(socket));
}

/** A connection already closed: every call watched on it is aborted at once. */
const GONE: CallerConnection = { watch: (call) => call.abort(new CallerGoneError()), unwatch: () => undefined };
