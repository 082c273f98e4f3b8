import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

const CURRENT_REQUEST = Symbol('current-request');

type TrackedSocket = Socket & { [CURRENT_REQUEST]?: IncomingMessage };

/**
 * The open connections of a server and the request each one is on, for the drain: a request whose
 * body is still arriving (the client sent headers and part of a body, then stalled) keeps its
 * connection busy, and `server.close()` waits for it. Node's own receive timeouts cannot cut it
 * then: `close()` stops the timer that checks them. The cost on the hot path is one property
 * write per request and one listener per connection.
 */
export class ServerConnections {
  private readonly sockets = new Set<TrackedSocket>();

  constructor(server: Server) {
    server.on('connection', (socket: TrackedSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage) => {
      (req.socket as TrackedSocket)[CURRENT_REQUEST] = req;
    });
  }

  /** Closes every connection whose current request has not been received in full; returns how many. */
  cutRequestsStillArriving(): number {
    let cut = 0;
    for (const socket of this.sockets) {
      const request = socket[CURRENT_REQUEST];
      if (request === undefined || request.complete || socket.destroyed) continue;
      socket.destroy();
      cut += 1;
    }
    return cut;
  }
}
