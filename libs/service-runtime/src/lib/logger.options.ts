import type pino from 'pino';
import type { Params } from 'nestjs-pino';

/**
 * nestjs-pino on the root logger, with no pino-http middleware: requests are logged by
 * access-log.ts, and a line's `reqId` comes from the request context (`withRequestId`, read by the
 * root logger's mixin), not from a child logger per request, which was measured at ~5% of a
 * tools/call's CPU with the Fastify middleware engine it pulls in.
 */
export function loggerOptions(logger: pino.Logger): Params {
  return { pinoHttp: { logger, autoLogging: false }, forRoutes: [] };
}
