import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';

/**
 * Who holds a stream, for the per-caller limit: the verified principal when inbound auth is on
 * (its object id, else its client id), else the remote address. Forwarded-for headers are not
 * read: the caller writes them. Behind a proxy every caller has the proxy's address, so the
 * per-caller limit is then shared by all: turn inbound auth on there.
 */
export function callerKey(req: IncomingMessage & { auth?: AuthInfo }): string {
  const auth = req.auth;
  if (auth) {
    const objectId = auth.extra?.['objectId'];
    return typeof objectId === 'string' ? `oid:${objectId}` : `azp:${auth.clientId}`;
  }
  return `addr:${req.socket.remoteAddress ?? 'unknown'}`;
}
