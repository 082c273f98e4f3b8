import type { IncomingMessage } from 'node:http';
import type { VerifiedCaller } from '@mcp-platform/azure-auth';

/** The caller inbound auth let in: its verified claims, and the token itself (what on-behalf-of exchanges). */
export interface CallerPrincipal extends VerifiedCaller {
  token: string;
}

// Keyed by the node request, which both the fast call route and Fastify (`request.raw`) hold; gone with it.
const principals = new WeakMap<IncomingMessage, CallerPrincipal>();

export function attachPrincipal(req: IncomingMessage, principal: CallerPrincipal): void {
  principals.set(req, principal);
}

/** The verified caller of `req`; undefined when inbound auth is off or the route is open. */
export function principalOf(req: IncomingMessage): CallerPrincipal | undefined {
  return principals.get(req);
}
