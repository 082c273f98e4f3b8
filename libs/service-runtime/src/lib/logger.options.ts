import type pino from 'pino';
import type { Params } from 'nestjs-pino';

export interface LoggerModuleOptions {
  /**
   * Mount pino-http on every route so that a `PinoLogger` used while serving a request writes the
   * request's `reqId` on each line. Off by default: the middleware (a child logger per request,
   * plus the Fastify middleware engine it pulls in) was measured at ~5% of a tools/call's CPU.
   */
  requestBoundLoggers?: boolean;
}

/**
 * nestjs-pino on the root logger, with pino-http's own request logging off: requests are logged
 * by access-log.ts.
 */
export function loggerOptions(logger: pino.Logger, options: LoggerModuleOptions = {}): Params {
  if (options.requestBoundLoggers) return { pinoHttp: { logger, autoLogging: false, quietReqLogger: true } };
  return { pinoHttp: { logger, autoLogging: false }, forRoutes: [] };
}
