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

/** The process's one pino logger: JSON to stdout, credentials redacted. */
export function createRootLogger(level: string): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** nestjs-pino on the same logger; requests are logged by request-logging.ts, not by pino-http. */
export function loggerOptions(logger: pino.Logger): Params {
  return { pinoHttp: { logger, autoLogging: false, quietReqLogger: true } };
}
