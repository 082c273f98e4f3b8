import type { IncomingMessage } from 'node:http';
import { validateOriginHeader } from '@modelcontextprotocol/server';

/** Why a request's Host or Origin is refused: 400 for a malformed or repeated Host, 403 for a foreign one. */
export interface HostRefusal {
  status: 400 | 403;
  message: string;
}

/** The refusal of a request's Host or Origin, or undefined when both pass. Each app answers it in its own error body. */
export type HostAllowListCheck = (req: IncomingMessage) => HostRefusal | undefined;

/**
 * RFC 9110 §7.2 Host: `uri-host [ ":" port ]`, nothing else. A Host the URL parser would still
 * take (`evil@localhost:8000` has userinfo, `localhost/x` a path, `localhost:8000#` a fragment)
 * passes a hostname allow-list, yet a WHATWG `Request` refuses a URL with credentials: every
 * request handed to the SDK then failed with a 500. The grammar is narrower than reg-name on
 * purpose: names, IPv4 and bracketed IPv6 literals are what a Host of ours can be.
 */
const HOST_GRAMMAR = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$/;

/**
 * Checks a request's Host against the allowed hostnames (port-agnostic, case-insensitive; pass
 * them lower-cased). Malformed or repeated: 400 (a proxy and this process could read different
 * hosts). Well formed but foreign: 403 (DNS rebinding).
 */
export function checkHost(req: IncomingMessage, allowedHostnames: ReadonlySet<string>): HostRefusal | undefined {
  const host = req.headers.host;
  if (host === undefined || host === '') return { status: 400, message: 'Bad Request: missing Host header' };
  if (hostHeaderCount(req.rawHeaders) > 1) return { status: 400, message: 'Bad Request: more than one Host header' };
  const match = HOST_GRAMMAR.exec(host);
  if (match === null) return { status: 400, message: `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}` };
  const hostname = match[1].toLowerCase();
  if (!allowedHostnames.has(hostname)) return { status: 403, message: `Forbidden: Host ${hostname.slice(0, 100)} is not allowed` };
  return undefined;
}

/**
 * DNS-rebinding protection, the one implementation both apps use: the Host (see checkHost) must
 * name one of `allowedHosts`, and a browser's `Origin`, when present, one of `allowedOrigins`
 * (the allowed hosts when not given; the SDK's parser decides), so the server's MCP endpoints and
 * the client's facade refuse exactly the same requests.
 */
export function hostAllowListCheck(allowedHosts: readonly string[], allowedOrigins: readonly string[] = allowedHosts): HostAllowListCheck {
  const hosts = new Set(allowedHosts.map((host) => host.toLowerCase()));
  const origins = [...allowedOrigins];
  return (req) => {
    const refusal = checkHost(req, hosts);
    if (refusal !== undefined) return refusal;
    const origin = validateOriginHeader(req.headers.origin, origins);
    return origin.ok ? undefined : { status: 403, message: origin.message };
  };
}

/** Node keeps the first of repeated Host headers in `req.headers`; the raw list shows them all. */
function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  return count;
}

/**
 * The origin a request was made to, for URLs an answer names (RFC 9728 metadata, a 401
 * challenge's `resource_metadata`): its Host, which must have passed checkHost, and `https` when
 * a proxy says it terminated TLS.
 */
export function requestOrigin(req: IncomingMessage): string {
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
