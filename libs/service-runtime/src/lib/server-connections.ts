import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const CURRENT_REQUEST = Symbol('current-request');
const CURRENT_RESPONSE = Symbol('current-response');

type TrackedSocket = Socket & { [CURRENT_REQUEST]?: IncomingMessage; [CURRENT_RESPONSE]?: ServerResponse };

/**
 * The open connections of a server and the exchange each one is in, for the drain. A client that
 * sent part of its headers, or its headers and part of a body, then stalled, keeps its connection
 * busy, and `server.close()` waits for it: Node's own header and request timeouts cannot cut it
 * then, as `close()` stops the timer that checks them, and `closeIdleConnections()` counts a
 * connection receiving headers as busy. The cost on the hot path is two property writes per
 * request and one listener per connection.
 */
export class ServerConnections {
  private readonly sockets = new Set<TrackedSocket>();

  constructor(server: Server) {
    server.on('connection', (socket: TrackedSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket as TrackedSocket;
      socket[CURRENT_REQUEST] = req;
      socket[CURRENT_RESPONSE] = res;
    });
  }

  /**
   * Closes every connection that is not answering a request received in full: those still
   * receiving a request (headers or body) and those between requests. Returns how many.
   */
  closeAllButAnswering(): number {
    let closed = 0;
    for (const socket of this.sockets) {
      if (socket.destroyed || isAnswering(socket)) continue;
      socket.destroy();
      closed += 1;
    }
    return closed;
  }
}

function isAnswering(socket: TrackedSocket): boolean {
  const request = socket[CURRENT_REQUEST];
  const response = socket[CURRENT_RESPONSE];
  return request !== undefined && request.complete && response !== undefined && !response.writableFinished;
}
