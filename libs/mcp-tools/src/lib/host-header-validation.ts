import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_REFUSAL, sendJsonRpcError } from './json-rpc-error';

/**
 * RFC 9110 §7.2 Host: `uri-host [ ":" port ]`, nothing else. A Host the URL parser would still
 * take (`evil@localhost:8000` has userinfo, `localhost/x` a path, `localhost:8000#` a fragment)
 * passes a hostname allow-list, yet a WHATWG `Request` refuses a URL with credentials: every
 * request handed to the SDK then failed with a 500. The grammar is narrower than reg-name on
 * purpose: names, IPv4 and bracketed IPv6 literals are what a Host of ours can be.
 */
const HOST_GRAMMAR = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$/;

export type HostVerdict = { ok: true; hostname: string } | { ok: false; status: 400 | 403; message: string };

/**
 * Checks a request's Host against the allowed hostnames (port-agnostic, case-insensitive).
 * Malformed or repeated: 400 (a proxy and this server could read different hosts). Well formed
 * but foreign: 403 (DNS rebinding).
 */
export function checkHost(req: IncomingMessage, allowedHostnames: ReadonlySet<string>): HostVerdict {
  const host = req.headers.host;
  if (host === undefined || host === '') return { ok: false, status: 400, message: 'Bad Request: missing Host header' };
  if (hostHeaderCount(req.rawHeaders) > 1) return { ok: false, status: 400, message: 'Bad Request: more than one Host header' };
  const match = HOST_GRAMMAR.exec(host);
  if (match === null) return { ok: false, status: 400, message: `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}` };
  const hostname = match[1].toLowerCase();
  if (!allowedHostnames.has(hostname)) return { ok: false, status: 403, message: `Forbidden: Host ${hostname.slice(0, 100)} is not allowed` };
  return { ok: true, hostname };
}

/**
 * DNS-rebinding protection for `node:http` handlers, the shape of the SDK's guard of the same
 * name: the returned function answers a refused request itself (JSON-RPC error, 400 or 403) and
 * returns false; the caller must not touch it further.
 */
export function hostHeaderValidation(allowedHostnames: string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(allowedHostnames.map((hostname) => hostname.toLowerCase()));
  return (req, res) => {
    const verdict = checkHost(req, allowed);
    if (verdict.ok) return true;
    sendJsonRpcError(res, verdict.status, HTTP_REFUSAL, verdict.message);
    return false;
  };
}

/** Node keeps the first of repeated Host headers in `req.headers`; the raw list shows them all. */
function hostHeaderCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  return count;
}
