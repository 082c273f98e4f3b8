import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { CallerGone, HTTP_REFUSAL, INTERNAL_ERROR, jsonRpcErrorBody, MAX_JSON_DEPTH, McpHttpEndpoint, McpMessagesHandler, nestsDeeperThan, PARSE_ERROR, PROTECTED_RESOURCE_METADATA_PATH } from '@mcp-platform/mcp-tools';

const NOT_JSON = Symbol('not-json');
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
  const metadataRoute = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    endpoint.serveProtectedResourceMetadata(request.raw, reply.raw);
  };
  fastify.get(PROTECTED_RESOURCE_METADATA_PATH, metadataRoute);
  fastify.get(`${PROTECTED_RESOURCE_METADATA_PATH}/mcp`, metadataRoute);

  await fastify.register(async (scope) => {
    // What Fastify refuses before the handler (415 media type, 413 size) in the server's one error body.
    scope.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      const message = status === 500 ? 'Internal error' : `${STATUS_CODES[status] ?? 'Error'}: ${error.message}`;
      return reply.code(status).type('application/json').send(jsonRpcErrorBody(status === 500 ? INTERNAL_ERROR : HTTP_REFUSAL, message));
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
      // The same guard as /mcp: handlers and the reply's serialiser recurse, and a deep id or argument overflowed the stack (500).
      if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) return done(null, TOO_DEEP);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, NOT_JSON);
      }
    });
    scope.post('/_mcp/messages', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!(await endpoint.admit(request.raw, reply.raw))) {
        reply.hijack();
        return;
      }
      if (request.body === NOT_JSON) {
        return reply.code(400).type('application/json').send(jsonRpcErrorBody(PARSE_ERROR, 'Parse error: the body is not valid JSON'));
      }
      if (request.body === TOO_DEEP) {
        return reply.code(400).type('application/json').send(jsonRpcErrorBody(PARSE_ERROR, `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
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
