import type { ServerResponse } from 'node:http';

/**
 * A signal that aborts when the connection of `res` closes before its answer was sent: the caller
 * went away, so the call made for it is cut rather than left running for nobody (the server then
 * sees its request end, and can stop the tool).
 */
export function callerGoneSignal(res: ServerResponse): AbortSignal {
  const callerGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) callerGone.abort(new Error('the caller went away'));
  });
  return callerGone.signal;
}
