import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { ResponseTooLargeError } from '@mcp-platform/service-runtime';

/** What an over-cap answer is refused with; the message names the setting. */
export class McpAnswerTooLargeError extends ResponseTooLargeError {
  constructor(limitBytes: number) {
    super(limitBytes);
    this.message = `the MCP server's answer is larger than MCP_MAX_RESPONSE_BYTES (${limitBytes} bytes)`;
  }
}

/** The ResponseTooLargeError somewhere in `error`'s cause chain (fetch and the SDK wrap it), if any. */
export function tooLargeIn(error: unknown): ResponseTooLargeError | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof ResponseTooLargeError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

type CutListener = (error: McpAnswerTooLargeError) => void;

const cutListeners = new AsyncLocalStorage<CutListener>();

/**
 * Runs `work` (an SDK request, given a signal to abort it with) so that an answer cut for its size
 * while it runs rejects it at once, with McpAnswerTooLargeError. The SDK reads an event stream that
 * errors as a dropped connection: it reports it to `onerror` and waits for the answer until the
 * request's timeout (a 504 rather than the 502 it is).
 */
export function failingOnOversize<T>(work: (cut: AbortSignal) => Promise<T>): Promise<T> {
  const cut = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const onCut: CutListener = (error) => {
      reject(error);
      cut.abort(error);
    };
    cutListeners.run(onCut, () => work(cut.signal)).then(resolve, reject);
  });
}

/** Who is told when an answer fetched now is cut: the failingOnOversize around the current request, if any. */
export function currentCutListener(): CutListener | undefined {
  return cutListeners.getStore();
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts `response` with McpAnswerTooLargeError once it passes `limitBytes`: a JSON answer as a
 * whole, an event stream per event (a `subscriptions/listen` or GET stream lives for hours, each
 * message on it is one answer). Counted on the socket's chunks as they arrive, before anything
 * buffers them; an event's end is a blank line, also when it falls between two chunks.
 */
export function capAnswerSize(response: IncomingMessage, limitBytes: number, onCut?: CutListener): void {
  if (!(limitBytes < Number.POSITIVE_INFINITY)) return;
  const cut = () => {
    const error = new McpAnswerTooLargeError(limitBytes);
    response.destroy(error);
    onCut?.(error);
  };
  // Cut on the next tick, so whoever reads the body sees the error rather than an empty stream.
  if (Number(response.headers['content-length']) > limitBytes) return void process.nextTick(cut);
  const eventStream = (response.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
  let size = 0;
  let endsWithLf = false;
  response.on('data', (chunk: Buffer) => {
    let start = 0;
    if (eventStream) {
      // Every event that ends in this chunk is measured whole: the bytes before it plus its part here.
      const straddled = endsWithLf ? straddledBlankLine(chunk) : 0;
      for (let end = straddled || nextEventEnd(chunk, 0); end > 0; end = nextEventEnd(chunk, start)) {
        if (size + end - start > limitBytes) return cut();
        size = 0;
        start = end;
      }
      endsWithLf = chunk[chunk.length - 1] === LF;
    }
    size += chunk.length - start;
    if (size > limitBytes) cut();
  });
}

/** The index just past the next blank line (`\n\n` or `\n\r\n`) at or after `from`; 0 when there is none. */
function nextEventEnd(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf('\n\n', from);
  const crlf = chunk.indexOf('\n\r\n', from);
  if (lf < 0) return crlf < 0 ? 0 : crlf + 3;
  return crlf < 0 || lf < crlf ? lf + 2 : crlf + 3;
}

/** After a chunk that ended with `\n`: the index past a blank line this one starts with, else 0. */
function straddledBlankLine(chunk: Buffer): number {
  if (chunk[0] === LF) return 1;
  return chunk[0] === CR && chunk[1] === LF ? 2 : 0;
}
