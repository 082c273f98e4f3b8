import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { HTTP_REFUSAL, INTERNAL_ERROR, McpHttpEndpoint, sendJsonRpcError } from '@mcp-platform/mcp-tools';
import { logWhenClosed, requestIdFor } from '@mcp-platform/service-runtime';

/**
 * `/mcp` served in front of Fastify, straight from the HTTP server: Fastify's routing and Nest's
 * request hooks were measured at ~20 µs of a tools/call, for a route that needs neither (the SDK
 * reads and validates the body itself). Everything else goes on to Fastify.
 */
export class McpDirectRoute {
  private endpoint?: McpHttpEndpoint;
  private closing = false;
  private streamsEnded = false;
  /** Open notification streams: they never end by themselves, so a drain would wait on them forever. */
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly accessLogger: Logger) {}

  /** Binds the endpoint once the Nest application exists; requests before that go to Fastify (404). */
  bind(endpoint: McpHttpEndpoint): void {
    this.endpoint = endpoint;
  }

  /**
   * End the open notification streams (`subscriptions/listen`, the 2025 GET stream), whose clients
   * then reconnect to another replica, and refuse new ones: a stream opened now would only hold
   * the drain up. Calls go on being served.
   */
  endStreams(): void {
    this.streamsEnded = true;
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
  }

  /** From now on, answer 503 and close the connection, as the routes on Fastify do (installClosingGate). Calls in flight are left to finish. */
  startClosing(): void {
    this.closing = true;
    this.endStreams();
  }

  matches(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    return this.endpoint !== undefined && (url === '/mcp' || url.startsWith('/mcp?'));
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const requestId = requestIdFor(req);
    res.setHeader('x-request-id', requestId);
    logWhenClosed(this.accessLogger, req, res, requestId);
    const opensStream = req.method === 'GET' || req.headers['mcp-method'] === 'subscriptions/listen';
    if (this.closing || (this.streamsEnded && opensStream)) {
      return sendJsonRpcError(res, 503, HTTP_REFUSAL, 'Service Unavailable: the server is shutting down', { connection: 'close' });
    }
    if (opensStream) {
      this.streams.add(res);
      res.once('close', () => this.streams.delete(res));
    }
    (this.endpoint as McpHttpEndpoint).handle(req, res).catch(() => {
      if (res.headersSent) return void res.end();
      sendJsonRpcError(res, 500, INTERNAL_ERROR, 'Internal error');
    });
  }
}
