import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, run Nest's destroy
 * hooks, then exit 0. If the requests have not finished within `timeoutMs`, exit anyway (non-zero),
 * before Kubernetes' SIGKILL. `onClosing` runs once, first, for a route Fastify does not see (the
 * server's direct `/mcp` route) to start refusing new requests too.
 */
export function installGracefulShutdown(app: NestFastifyApplication, timeoutMs: number, onClosing: () => void = () => undefined): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    onClosing();
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`in-flight requests did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    // Fastify first: Nest's close() runs the destroy hooks (which tear down the backend agent, or
    // close the MCP connection) before it closes the HTTP server, cutting the calls still in flight.
    drain(app).then(
      () => {
        logger.log('drained; exiting');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

async function drain(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // A keep-alive connection whose request finished during the drain is idle but still open, and
  // server.close() waits for it: close such connections as they become idle.
  const reaper = setInterval(() => fastify.server.closeIdleConnections(), 100);
  try {
    await fastify.close();
  } finally {
    clearInterval(reaper);
  }
  await app.close();
}
