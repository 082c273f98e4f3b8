import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** An app's error body for a status and a message, as its routes answer errors. */
export type ErrorBodyWriter = (status: number, message: string) => string;

/**
 * Fastify's `clientErrorHandler` with the app's own error body: what Node's parser refuses before
 * any route runs (an unknown method, a malformed request line or header, headers too large, a
 * request too slow to arrive) is answered as every other error, not with Fastify's default body.
 */
export function clientErrorHandler(errorBody: ErrorBodyWriter): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, message] = refusalFor(error.code);
    const body = errorBody(status, message);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}

function refusalFor(code: string | undefined): [number, string] {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'the request did not arrive in time'];
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'the request headers are too large'];
  return [400, 'the request is not valid HTTP/1.1'];
}

/**
 * Fastify's `frameworkErrors` with the app's own error body: a URL the router cannot decode
 * (`/%`), a path parameter over its length limit. Fastify answers these before any hook or route.
 */
export function frameworkErrorHandler(errorBody: ErrorBodyWriter): (error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    void reply.code(status).type('application/json').send(errorBody(status, 'the request URL is not valid'));
  };
}
