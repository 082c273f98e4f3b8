import http, { STATUS_CODES } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { DEFAULT_MAX_REQUEST_BODY_BYTES, HTTP_REFUSAL, jsonRpcErrorBody, McpHttpEndpoint, McpMessagesHandler, registerMcpRoutes } from '@mcp-platform/mcp-tools';
import { AppModule } from './app/app.module';
import { ServerConfig } from './app/config/server-config';
import { clientErrorHandler, createLoggers, frameworkErrorHandler, installClosingGate, installGracefulShutdown, installRequestLogging, requestIdFor } from '@mcp-platform/service-runtime';
import { McpDirectRoute } from './app/mcp/mcp-direct-route';

/**
 * Slow or idle clients must not hold sockets forever (slowloris). Node checks the header and
 * request deadlines on a timer, 30 s apart by default: far too coarse for a 20 s header deadline.
 */
function slowClientGuards(config: ServerConfig): http.ServerOptions {
  const headersTimeout = config.HTTP_HEADERS_TIMEOUT * 1000;
  return {
    headersTimeout,
    requestTimeout: Math.max(config.HTTP_REQUEST_TIMEOUT * 1000, headersTimeout),
    connectionsCheckingInterval: Math.min(1_000, headersTimeout / 2),
  };
}

/** The server's one error body (see JsonRpcExceptionFilter) for what is refused before any route. */
const errorBody = (status: number, message: string) => jsonRpcErrorBody(HTTP_REFUSAL, `${STATUS_CODES[status]}: ${message}`);

/** Builds and starts the server; the test suites call this with their own config and tools. */
export async function startServer(config: ServerConfig, extraImports: DynamicModule['imports'] = []): Promise<NestFastifyApplication> {
  const loggers = createLoggers(config.LOG_LEVEL);
  const mcpRoute = new McpDirectRoute(loggers.access);
  const adapter = new FastifyAdapter({
    bodyLimit: DEFAULT_MAX_REQUEST_BODY_BYTES,
    // Off: Fastify's own 503 has a body of its own; installClosingGate answers in the app's.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    genReqId: requestIdFor,
    clientErrorHandler: clientErrorHandler(errorBody),
    frameworkErrors: frameworkErrorHandler(errorBody),
    // `/mcp` is answered before Fastify sees the request; everything else is Fastify's.
    serverFactory: (fastifyHandler: http.RequestListener) => {
      const server = http.createServer(slowClientGuards(config), (req, res) => (mcpRoute.matches(req) ? mcpRoute.serve(req, res) : fastifyHandler(req, res)));
      server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT * 1000;
      return server;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraImports, loggers.root), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  installRequestLogging(fastify, loggers.access);
  const closingGate = installClosingGate(fastify, errorBody);
  await registerMcpRoutes(fastify, app.get(McpHttpEndpoint), app.get(McpMessagesHandler), DEFAULT_MAX_REQUEST_BODY_BYTES);
  mcpRoute.bind(app.get(McpHttpEndpoint));
  await app.listen({ port: config.PORT, host: config.HOST ?? '0.0.0.0' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  app.get(Logger).log(`mcp-server listening on port ${port}`, 'Bootstrap');
  installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT * 1000, {
    onDrainStart: () => mcpRoute.endStreams(),
    onClosing: () => {
      mcpRoute.startClosing();
      closingGate.startClosing();
    },
  });
  return app;
}
