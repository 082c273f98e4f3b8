import type { FastifyInstance } from 'fastify';

/**
 * What the Swagger UI page may load: its own scripts and styles from this origin, the document
 * and "Try it out" calls to this origin, images from here or inline (its icons are `data:` URIs).
 * Nothing remote, so nothing a tool description or schema names (they come from the MCP server)
 * is fetched, and no other site may frame the page (clickjacking "Try it out").
 * `style-src 'unsafe-inline'`: the UI sets style attributes in the markup it renders.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `/docs`, its assets and `/docs-json` carry the policy above and `nosniff` (a JSON document is never run as script). */
export function installDocsSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/docs')) {
      void reply.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY).header('x-content-type-options', 'nosniff');
    }
    done();
  });
}
