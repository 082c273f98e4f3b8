import http from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { clientErrorHandler, createLoggers, enterRequestContext, frameworkErrorHandler, installClosingGate, installGracefulShutdown, installRequestLogging, nestsDeeperThan, requestIdFor } from '@mcp-platform/service-runtime';
import { facadeDoorFor, registerProtectedResourceMetadata } from './app/access/facade-access';
import { AppModule, CLIENT_NAME, CLIENT_VERSION } from './app/app.module';
import { ClientConfig } from './app/config/client-config';
import { OpenApiDocumentService } from './app/openapi/openapi-document.service';
import { installDocsSecurityHeaders } from './app/openapi/docs-security-headers';
import { registerSwaggerUi } from './app/openapi/swagger-ui.routes';
import { argumentsTooDeep } from './app/tools/api-errors';
import { errorCodeFor } from './app/tools/api-exception.filter';
import { ToolCallRoute } from './app/tools/tool-call.route';
import { ToolCallService } from './app/tools/tool-call.service';

/** Tool arguments arrive as JSON bodies; the same bound as the MCP SDK's for a request. */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;
const SLOW_REQUEST_TIMEOUT_MS = 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The client's one error body (see ApiExceptionFilter) for what is refused before any route. */
const errorBody = (status: number, message: string) => JSON.stringify({ error: errorCodeFor(status), message });

/** Builds and starts the client; the process entry (main.ts) and tests call this. */
export async function startClient(config: ClientConfig): Promise<NestFastifyApplication> {
  const loggers = createLoggers(config.LOG_LEVEL);
  const toolCallRoute = new ToolCallRoute(loggers.access, MAX_REQUEST_BODY_BYTES, config.TOOL_ARGUMENTS_MAX_DEPTH);
  const door = facadeDoorFor(config, loggers.access);
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    // Off: Fastify's own 503 has a body of its own; installClosingGate answers in the app's.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    genReqId: requestIdFor,
    clientErrorHandler: clientErrorHandler(errorBody),
    frameworkErrors: frameworkErrorHandler(errorBody),
    // Every request passes the door first; then `POST /tools/{name}/call` is answered before Fastify sees it, everything else is Fastify's.
    serverFactory: (fastifyHandler: http.RequestListener) => {
      const route: http.RequestListener = (req, res) => {
        const tool = toolCallRoute.toolCalledBy(req);
        if (tool === undefined) fastifyHandler(req, res);
        else toolCallRoute.serve(req, res, tool);
      };
      // Slow or idle clients must not hold sockets forever (slowloris).
      const server = http.createServer({ requestTimeout: SLOW_REQUEST_TIMEOUT_MS }, (req, res) => door.pass(req, res, route));
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      return server;
    },
  });
  // bodyParser off: Fastify's own JSON parser stays, Nest's urlencoded one does not (arguments are JSON; a form gets 415).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, loggers.root), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify parses text/plain by default; arguments are JSON, and anything else is 415 as documented.
  fastify.removeContentTypeParser('text/plain');
  installRequestLogging(fastify, loggers.access);
  const closingGate = installClosingGate(fastify, errorBody);
  // Lines logged while a handler runs carry the request's reqId; the call route enters the same context itself.
  fastify.addHook('preHandler', enterRequestContext);
  setUpOpenApi(app);
  registerProtectedResourceMetadata(fastify, door);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // JSON bodies (tool arguments: the only ones the client takes) nested past the limit are refused
  // before they are parsed, as the call route does (tool-call.route.ts).
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (nestsDeeperThan(text, config.TOOL_ARGUMENTS_MAX_DEPTH)) return done(argumentsTooDeep(config.TOOL_ARGUMENTS_MAX_DEPTH), undefined);
    parseJson(req, text, done);
  });
  toolCallRoute.bind({ calls: app.get(ToolCallService), parseJson });

  const logger = app.get(Logger);
  if (config.MCP_SERVER_SCOPE && app.get(TokenProvider).mode === 'none') {
    logger.warn(`MCP_SERVER_SCOPE is set but no Azure identity is configured: requests to the MCP server carry no token`, 'Bootstrap');
  }
  await app.listen({ port: config.PORT, host: config.HOST ?? '0.0.0.0' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.log(`mcp-client listening on port ${port}`, 'Bootstrap');
  installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT * 1000, {
    onClosing: () => {
      toolCallRoute.startClosing();
      closingGate.startClosing();
    },
  });
  return app;
}

/** `/docs` (Swagger UI) and `/docs-json`: the static routes scanned once, the tools added from the live catalogue on each request. */
function setUpOpenApi(app: NestFastifyApplication): void {
  const base = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(CLIENT_NAME)
      .setDescription('REST facade over the tools of an MCP server: list them, and call each with its arguments as a JSON body.')
      .setVersion(CLIENT_VERSION)
      .setOpenAPIVersion('3.1.0')
      .build(),
  );
  installDocsSecurityHeaders(app.getHttpAdapter().getInstance());
  const documents = app.get(OpenApiDocumentService);
  documents.setBase(base);
  SwaggerModule.setup('docs', app, base, { ui: false, raw: ['json'], jsonDocumentUrl: 'docs-json', patchDocumentOnRequest: () => documents.current() });
  registerSwaggerUi(app.getHttpAdapter().getInstance(), { title: `${CLIENT_NAME} tools` });
}
