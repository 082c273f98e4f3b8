import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { callerConnection } from './caller-gone';
import { HTTP_REFUSAL, INTERNAL_ERROR, jsonRpcErrorBody, PARSE_ERROR } from './json-rpc-error';
import { PROTECTED_RESOURCE_METADATA_PATH } from './mcp-bearer-auth';
import { McpHttpEndpoint } from './mcp-http.endpoint';
import { McpMessagesHandler } from './mcp-messages.handler';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './request-body';

const NOT_JSON = Symbol('not-json');
const TOO_DEEP = Symbol('too-deep');

/**
 * The MCP side routes on Fastify, outside Nest's controller pipeline: RFC 9728 metadata, and
 * `/_mcp/messages`, which parses JSON itself so a malformed body gets a JSON-RPC parse error.
 * `/mcp` itself is mounted apart: in front of Fastify (the mcp-server app's McpDirectRoute) or on
 * it (registerMcpEndpointRoute). One module for every server, so a generated one gets each fix.
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
      const answer = await messages.handle(request.body, request.id, callerConnection(reply.raw));
      return reply.code(answer.status).send(answer.body);
    });
  });
}

/** `/mcp` on Fastify, for a server that does not serve it in front of Fastify: handed over with the body unread. */
export async function registerMcpEndpointRoute(fastify: FastifyInstance, endpoint: McpHttpEndpoint): Promise<void> {
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: ['GET', 'POST', 'DELETE'],
      url: '/mcp',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        await endpoint.handle(request.raw, reply.raw);
      },
    });
  });
}
