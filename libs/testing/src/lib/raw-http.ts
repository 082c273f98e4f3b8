import { connect } from 'node:net';

export interface RawHttpAnswer {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` (the whole HTTP/1.1 text, as written) over a fresh TCP connection and reads the
 * answer until the server closes it: for what node:http and fetch will not send (two Host headers)
 * or for a server that answers before the body is read (413, where a client still writing gets EPIPE).
 */
export function rawHttpExchange(port: number, request: string | Buffer): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may close while we still write: what it answered is what counts.
    socket.on('error', (error: NodeJS.ErrnoException) => (chunks.length > 0 || error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      // latin1: one character per byte, so chunk sizes count characters; the body is decoded as UTF-8 at the end.
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const raw = rest.join('\r\n\r\n');
      const body = Buffer.from(headers['transfer-encoding'] === 'chunked' ? unchunk(raw) : raw, 'latin1').toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body });
    });
    socket.end(request);
  });
}

/** The payload of a `Transfer-Encoding: chunked` body (sizes in hex, each chunk followed by CRLF). */
function unchunk(body: string): string {
  let payload = '';
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = lineEnd < 0 ? 0 : parseInt(body.slice(at, lineEnd), 16);
    if (!(size > 0)) return payload;
    payload += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
