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

const LF = 0x0a;

/**
 * Cuts `response` with McpAnswerTooLargeError once it passes `limitBytes`: a JSON answer as a
 * whole, an event stream per event (a `subscriptions/listen` or GET stream lives for hours, each
 * message on it is one answer). Counted on the socket's chunks as they arrive, before anything
 * buffers them; an event's end is a blank line, also when it falls between two chunks.
 */
export function capAnswerSize(response: IncomingMessage, limitBytes: number): void {
  if (!(limitBytes < Number.POSITIVE_INFINITY)) return;
  if (Number(response.headers['content-length']) > limitBytes) {
    // Destroyed on the next tick, so whoever reads the body sees the error rather than an empty stream.
    return void process.nextTick(() => response.destroy(new McpAnswerTooLargeError(limitBytes)));
  }
  const eventStream = (response.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
  let size = 0;
  let lastByte = 0;
  response.on('data', (chunk: Buffer) => {
    if (eventStream) {
      const boundary = Math.max(chunk.lastIndexOf('\n\n'), chunk.lastIndexOf('\n\r\n'));
      if (boundary >= 0) size = chunk.length - boundary;
      else if (chunk[0] === LF && lastByte === LF) size = chunk.length;
      else size += chunk.length;
      lastByte = chunk[chunk.length - 1];
    } else {
      size += chunk.length;
    }
    if (size > limitBytes) response.destroy(new McpAnswerTooLargeError(limitBytes));
  });
}
