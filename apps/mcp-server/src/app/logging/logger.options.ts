import pino from 'pino';
import type { Params } from 'nestjs-pino';

/** Paths pino never writes: credentials in headers and in any token-shaped field. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.client_assertion',
  '*.assertion',
];

export interface ProcessLoggers {
  /** Everything the application logs: credentials redacted. */
  root: pino.Logger;
  /** The access log: fixed, token-free fields, so no redaction pass per line. */
  access: pino.Logger;
}

/**
 * JSON to stdout through one buffered, asynchronous destination (flushed on exit): a synchronous
 * write per line was measured at ~30 µs of a tools/call.
 */
export function createLoggers(level: string): ProcessLoggers {
  const destination = pino.destination({ dest: 1, sync: false });
  return {
    root: pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination),
    access: pino({ level }, destination),
  };
}

/**
 * nestjs-pino on the root logger, without its per-request pino-http middleware: requests are
 * logged by access-log.ts, and the middleware (a child logger per request, plus the Fastify
 * middleware engine it pulls in) was measured at ~5% of a tools/call's CPU.
 */
export function loggerOptions(logger: pino.Logger): Params {
  return { pinoHttp: { logger, autoLogging: false }, forRoutes: [] };
}
