import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CallerGone, MAX_JSON_DEPTH, McpHttpEndpoint, McpMessagesHandler, nestsDeeperThan, PROTECTED_RESOURCE_METADATA_PATH } from '@mcp-platform/mcp-tools';

const PARSE_ERROR = Symbol('parse-error');
const TOO_DEEP = Symbol('too-deep');

/**
 * The MCP side routes on Fastify, outside Nest's controller pipeline (`/mcp` itself is served in
 * front of Fastify, see McpDirectRoute): RFC 9728 metadata, and `/_mcp/messages`, which parses
 * JSON itself so a malformed body gets a JSON-RPC parse error.
 */
export async function registerMcpRoutes(
  fastify: FastifyInstance,
  endpoint: McpHttpEndpoint,
  messages: McpMessagesHandler,
  bodyLimit: number,
): Promise<void> {
  // RFC 9728: where an MCP client learns which authorization server (Entra) issues tokens for /mcp.
  const metadataRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const metadata = endpoint.protectedResourceMetadata(request.raw);
    return metadata ? reply.header('cache-control', 'max-age=3600').send(metadata) : reply.code(404).send({ error: 'inbound auth is off' });
  };
  fastify.get(PROTECTED_RESOURCE_METADATA_PATH, metadataRoute);
  fastify.get(`${PROTECTED_RESOURCE_METADATA_PATH}/mcp`, metadataRoute);

  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
      // The same guard as /mcp: handlers and the reply's serialiser recurse, and a deep id or argument overflowed the stack (500).
      if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) return done(null, TOO_DEEP);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, PARSE_ERROR);
      }
    });
    scope.post('/_mcp/messages', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!(await endpoint.admit(request.raw, reply.raw))) {
        reply.hijack();
        return;
      }
      if (request.body === PARSE_ERROR) {
        return reply.code(400).send({ error: { code: -32700, message: 'Parse error: the body is not valid JSON' } });
      }
      if (request.body === TOO_DEEP) {
        return reply.code(400).send({ error: { code: -32700, message: `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels` } });
      }
      const callerGone = new CallerGone(reply.raw);
      try {
        const answer = await messages.handle(request.body, request.id, callerGone);
        return reply.code(answer.status).send(answer.body);
      } finally {
        callerGone.release();
      }
    });
  });
}
