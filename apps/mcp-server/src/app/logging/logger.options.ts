import type { Params } from 'nestjs-pino';

const PROBE_PATHS = ['/health/live', '/health/ready', '/metrics'];

/** Paths pino never writes: credentials in headers and in any token-shaped field. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-ms-token-aad-access-token"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.client_assertion',
  '*.assertion',
];

/**
 * JSON logs carrying the request id Fastify assigned (see request-id.ts). Probes log at debug only,
 * so they do not drown real calls; headers are not logged at all.
 */
export function loggerOptions(level: string): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (PROBE_PATHS.some((path) => req.url?.startsWith(path))) return 'debug';
        return 'info';
      },
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          userAgent: req.headers['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
