import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy forwarded: where it went and how it ended. */
export interface ForwardedRequest {
  upstreamPort: number;
  method: string;
  /** The `x-request-id` the client passes on for a tool call (discovery requests carry none). */
  requestId?: string;
  mcpMethod?: string;
  /** The JSON-RPC method of a POST body (`tools/call`, `server/discover`, ...), read as it passes. */
  rpcMethod?: string;
  status?: number;
  /** Set when the exchange broke off (upstream reset, or the downstream went away). */
  error?: string;
  done: boolean;
}

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not to the exchange.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

/**
 * A small layer-7 round-robin load balancer on loopback, standing in for a Kubernetes Service with
 * endpoints: each request goes to the next replica in the pool. `remove()` is the endpoint removal
 * that happens before a pod gets SIGTERM (what the chart's preStop sleep waits for); requests
 * already forwarded to that replica run on to their end. Streams (SSE) are piped both ways, and a
 * stream the upstream cuts is cut downstream too.
 */
export class RoundRobinProxy {
  readonly forwarded: ForwardedRequest[] = [];
  private pool: number[] = [];
  private turn = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  private readonly server = http.createServer((req, res) => this.forward(req, res));
  port = 0;

  async start(upstreamPorts: number[]): Promise<string> {
    this.pool = [...upstreamPorts];
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  add(port: number): void {
    this.pool.push(port);
  }

  remove(port: number): void {
    this.pool = this.pool.filter((candidate) => candidate !== port);
  }

  /** Requests forwarded to `port` that have not ended yet. */
  inFlight(port: number): ForwardedRequest[] {
    return this.forwarded.filter((request) => request.upstreamPort === port && !request.done);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.pool.length === 0) {
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"no upstream"}');
      return;
    }
    const upstreamPort = this.pool[this.turn++ % this.pool.length];
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const record: ForwardedRequest = { upstreamPort, method: req.method ?? 'GET', requestId: header('x-request-id'), mcpMethod: header('mcp-method'), done: false };
    this.forwarded.push(record);
    const finish = (error?: string) => {
      if (record.done) return;
      record.done = true;
      if (error) record.error = error;
    };

    const upstream = http.request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: this.agent },
      (upstreamRes) => {
        record.status = upstreamRes.statusCode;
        res.writeHead(upstreamRes.statusCode ?? 502, endToEnd(upstreamRes.headers));
        upstreamRes.pipe(res);
        upstreamRes.once('end', () => finish());
        // An upstream that cuts a response (a notification stream ended on SIGTERM) is cut downstream.
        upstreamRes.once('aborted', () => {
          finish('upstream aborted');
          res.destroy();
        });
        upstreamRes.once('error', () => {
          finish('upstream response error');
          res.destroy();
        });
      },
    );
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      finish(`upstream ${error.code ?? error.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `upstream ${error.code}` }));
      else res.destroy();
    });
    // The downstream went away before the answer was complete (the client closed a stream): let go upstream.
    res.once('close', () => {
      if (!res.writableFinished) {
        finish('downstream closed');
        upstream.destroy();
      }
    });
    if (req.method === 'POST') {
      let head = '';
      req.on('data', (chunk: Buffer) => {
        if (head.length < 4_096) head += chunk.toString('utf8');
      });
      req.once('end', () => (record.rpcMethod = /"method"\s*:\s*"([^"]+)"/.exec(head)?.[1]));
    }
    req.pipe(upstream);
  }
}
