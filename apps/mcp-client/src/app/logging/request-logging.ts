import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

const PROBE_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * One line per finished request, with the request id (the same hook as the server's: pino-http
 * mounted as Nest middleware on Fastify was measured to skip Nest's own routes). Probes log at
 * debug so they do not drown real calls; no header is logged.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const started = performance.now();
    reply.raw.setHeader('x-request-id', request.id);
    reply.raw.once('close', () => {
      const statusCode = reply.raw.statusCode;
      const level = statusCode >= 500 ? 'error' : PROBE_PATHS.some((path) => request.url.startsWith(path)) ? 'debug' : 'info';
      logger[level](
        {
          req: { id: request.id, method: request.method, url: request.url, userAgent: request.headers['user-agent'] },
          res: { statusCode, finished: reply.raw.writableFinished },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    });
    done();
  });
}
