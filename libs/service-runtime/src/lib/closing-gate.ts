import type { FastifyInstance } from 'fastify';
import type { ErrorBodyWriter } from './pre-route-errors';

export interface ClosingGate {
  /** From now on every request Fastify routes is answered 503 and its connection closed. */
  startClosing(): void;
}

/**
 * The 503 a closing service answers, in the app's own error body. Fastify's `return503OnClosing`
 * (off in both apps for this reason) writes a fixed body of its own that no hook or error handler
 * can change. A request meets this only when its headers arrive on a held connection in the last
 * moments of a drain.
 */
export function installClosingGate(fastify: FastifyInstance, errorBody: ErrorBodyWriter): ClosingGate {
  let closing = false;
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.code(503).header('connection', 'close').type('application/json').send(errorBody(503, 'the service is shutting down'));
  });
  return {
    startClosing: () => {
      closing = true;
    },
  };
}
