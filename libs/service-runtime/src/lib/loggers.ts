import pino from 'pino';
import { requestLogFields } from './request-context';

/** Paths pino never writes: credentials in headers and in any token-shaped field, at the top of a line or one level down. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'access_token',
  'accessToken',
  'token',
  'client_assertion',
  'assertion',
  '*.authorization',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.client_assertion',
  '*.assertion',
];

export interface ProcessLoggers {
  /** Everything the application logs: credentials redacted, `reqId` on lines written while a request is served (`withRequestId`). */
  root: pino.Logger;
  /** The access log: fixed, token-free fields, so no redaction pass per line. */
  access: pino.Logger;
}

/** Lines wait in memory at most this long before they are written. */
const LOG_FLUSH_INTERVAL_MS = 200;

/**
 * JSON to stdout through one buffered, asynchronous destination: a write per line was measured
 * at ~30 µs of a tools/call, so lines are written in batches, at the latest every 200 ms, and
 * flushed synchronously when the process exits.
 */
export function bufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => destination.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => destination.flushSync());
  return destination;
}

export function createLoggers(level: string, destination: pino.DestinationStream = bufferedStdout()): ProcessLoggers {
  return {
    root: pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, mixin: requestLogFields }, destination),
    access: pino({ level }, destination),
  };
}
