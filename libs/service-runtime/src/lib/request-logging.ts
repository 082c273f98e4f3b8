import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { logWhenClosed } from './access-log';

/**
 * The access log and the `x-request-id` response header for the routes Fastify serves. On the raw
 * response because pino-http mounted as Nest middleware on Fastify was measured to skip Nest's own
 * routes.
 */
export function installRequestLogging(fastify: FastifyInstance, accessLogger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('x-request-id', request.id);
    logWhenClosed(accessLogger, request.raw, reply.raw, request.id);
    done();
  });
}
