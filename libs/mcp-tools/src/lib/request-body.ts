import type { IncomingMessage } from 'node:http';

// The depth guard is shared with the client's facade; the server's endpoints import it from here.
export { nestsDeeperThan } from '@mcp-platform/service-runtime';

export type BodyRead = { kind: 'read'; raw: string } | { kind: 'unread' } | { kind: 'too-large' };

/**
 * Reads a POST body up to `limit` bytes. A body declared larger is left unread (`unread`), so the
 * SDK's handler refuses it itself; a chunked body that grows past the limit stops being read
 * (`too-large`). Plain 'data' events rather than `for await`: the async iterator was measured at
 * ~8 µs a request.
 */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && !(Number.isInteger(declared) && declared >= 0 && declared <= limit)) return Promise.resolve({ kind: 'unread' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve({ kind: 'too-large' });
    };
    req.on('data', onData);
    req.once('end', () => resolve({ kind: 'read', raw: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') }));
    req.once('error', reject);
  });
}

/** Deeper than any real tool call needs; see nestsDeeperThan. */
export const MAX_JSON_DEPTH = 64;
