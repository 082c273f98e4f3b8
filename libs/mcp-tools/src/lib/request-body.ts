import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body whose `Content-Length` is known and within `limit`. Resolves `undefined`
 * without touching the stream otherwise, so the SDK's own handler can still read (and refuse) it.
 * Plain 'data' events rather than `for await`: the async iterator was measured at ~8 µs a request.
 */
export function readDeclaredBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (!Number.isInteger(declared) || declared < 0 || declared > limit || req.headers['transfer-encoding'] !== undefined) {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
