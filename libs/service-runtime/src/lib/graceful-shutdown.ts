import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { DRAIN_CLIENT_GRACE_MS } from './connection-lifetimes';
import { ServerConnections } from './server-connections';

/**
 * What a route that Fastify does not see (the server's direct `/mcp` route, the client's call
 * route) does as the drain goes on: `onDrainStart` at the signal, to end what never ends by itself
 * (notification streams); `onClosing` when Fastify starts closing, to refuse requests as it does.
 */
export interface DrainHooks {
  onDrainStart?: () => void;
  onClosing?: () => void;
}

/**
 * SIGTERM/SIGINT: drain (see `drainGracefully`), run Nest's destroy hooks, then exit 0. If the
 * requests have not finished within `timeoutMs`, exit anyway (non-zero), before Kubernetes' SIGKILL.
 */
export function installGracefulShutdown(app: NestFastifyApplication, timeoutMs: number, hooks: DrainHooks = {}): void {
  const logger = new Logger('Shutdown');
  const connections = new ServerConnections(app.getHttpAdapter().getInstance().server);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`in-flight requests did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    drainGracefully(app, hooks, DRAIN_CLIENT_GRACE_MS, connections).then(
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

/**
 * Ends the service without cutting a call. By the time a pod gets SIGTERM its endpoint is gone
 * (the chart's preStop sleep), so a new connection is refused, but clients still hold keep-alive
 * connections to it. Those are let go first: every answer says `Connection: close`, and idle
 * connections are left to their clients (which close them within CLIENT_IDLE_TIMEOUT_MS) for up
 * to `clientGraceMs`. Only then does Fastify close, which waits for the requests still running and
 * closes what is idle. A request still arriving by then (headers or body) is cut: its client had
 * the grace to send it, and waiting on it would hold the exit until the shutdown deadline. Nest's
 * close() comes last: its destroy hooks tear down the backend agent or the MCP connection, which
 * would cut calls still in flight. `connections` tracks requests from start-up; without it only
 * connections opened during the drain are known.
 */
export async function drainGracefully(
  app: NestFastifyApplication,
  hooks: DrainHooks = {},
  clientGraceMs = DRAIN_CLIENT_GRACE_MS,
  connections = new ServerConnections(app.getHttpAdapter().getInstance().server),
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const server = fastify.server;
  const lastAnswerOnConnection = (_req: unknown, res: { setHeader(name: string, value: string): void }) => res.setHeader('connection', 'close');
  // New connections are refused (the Service no longer routes here); held ones are served.
  const refuseNewConnection = (socket: Socket) => socket.destroy();
  server.prependListener('request', lastAnswerOnConnection);
  server.prependListener('connection', refuseNewConnection);
  hooks.onDrainStart?.();
  await clientsGone(server, clientGraceMs);
  hooks.onClosing?.();
  // A keep-alive connection whose request finished during the drain is idle but still open, and
  // server.close() waits for it, as it does for a request still arriving: close both as they come.
  const reaper = setInterval(() => connections.closeAllButAnswering(), 100);
  connections.closeAllButAnswering();
  try {
    await fastify.close();
  } finally {
    clearInterval(reaper);
    server.off('request', lastAnswerOnConnection);
    server.off('connection', refuseNewConnection);
  }
  await app.close();
}

/** Resolves once the server has no open connection, or after `graceMs`. */
function clientsGone(server: Server, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  return new Promise((resolve) => {
    const check = () =>
      server.getConnections((error, count) => {
        if (error || count === 0 || Date.now() >= deadline) resolve();
        else setTimeout(check, 50).unref();
      });
    check();
  });
}
