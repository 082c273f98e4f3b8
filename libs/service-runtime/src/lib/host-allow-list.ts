import type { IncomingMessage } from 'node:http';
import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';

/**
 * Why a request's Host or Origin is refused, as a sentence for the caller; undefined when both pass.
 * Each app answers the refusal with 403 in its own error body shape.
 */
export type HostAllowListCheck = (req: IncomingMessage) => string | undefined;

/**
 * DNS-rebinding protection, the one implementation both apps use: the `Host` header's hostname
 * (port-agnostic) must be in `allowedHosts`, and a browser's `Origin`, when present, in
 * `allowedOrigins` (the allowed hosts when not given). The SDK's parsers decide, so the server's
 * MCP endpoints and the client's facade refuse exactly the same requests.
 */
export function hostAllowListCheck(allowedHosts: readonly string[], allowedOrigins: readonly string[] = allowedHosts): HostAllowListCheck {
  const hosts = [...allowedHosts];
  const origins = [...allowedOrigins];
  return (req) => {
    const host = validateHostHeader(req.headers.host, hosts);
    if (!host.ok) return host.message;
    const origin = validateOriginHeader(req.headers.origin, origins);
    return origin.ok ? undefined : origin.message;
  };
}
