import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { createLoggers, installGracefulShutdown, installRequestLogging, requestIdFor } from '@mcp-platform/service-runtime';
import { AppModule, CLIENT_NAME, CLIENT_VERSION } from './app/app.module';
import { ClientConfig } from './app/config/client-config';
import { OpenApiDocumentService } from './app/openapi/openapi-document.service';
import { registerSwaggerUi } from './app/openapi/swagger-ui.routes';

/** Tool arguments arrive as JSON bodies; the same bound as the MCP SDK's for a request. */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** Builds and starts the client; the process entry (main.ts) and tests call this. */
export async function startClient(config: ClientConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    // Slow or idle clients must not hold sockets forever (slowloris).
    requestTimeout: 60_000,
    keepAliveTimeout: 65_000,
    connectionTimeout: 0,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: requestIdFor,
  });
  const loggers = createLoggers(config.LOG_LEVEL);
  // bodyParser off: Fastify's own JSON parser stays, Nest's urlencoded one does not (arguments are JSON; a form gets 415).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, loggers.root), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  installRequestLogging(fastify, loggers.access);
  setUpOpenApi(app);

  const logger = app.get(Logger);
  if (config.MCP_SERVER_SCOPE && app.get(TokenProvider).mode === 'none') {
    logger.warn(`MCP_SERVER_SCOPE is set but no Azure identity is configured: requests to the MCP server carry no token`, 'Bootstrap');
  }
  await app.listen({ port: config.PORT, host: config.HOST ?? '0.0.0.0' });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.log(`mcp-client listening on port ${port}`, 'Bootstrap');
  installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT * 1000);
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
  const documents = app.get(OpenApiDocumentService);
  documents.setBase(base);
  SwaggerModule.setup('docs', app, base, { ui: false, raw: ['json'], jsonDocumentUrl: 'docs-json', patchDocumentOnRequest: () => documents.current() });
  registerSwaggerUi(app.getHttpAdapter().getInstance(), { title: `${CLIENT_NAME} tools` });
}
