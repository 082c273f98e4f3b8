import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { HTTP_REFUSAL, INTERNAL_ERROR, jsonRpcErrorBody } from '@mcp-platform/mcp-tools';
import { describeHttpException } from '@mcp-platform/service-runtime';

/**
 * The server's one error body on the routes Nest and Fastify answer (unknown routes, health,
 * metrics, and what Fastify refuses before a handler runs: media type, body size, malformed JSON):
 * the JSON-RPC error response `/mcp` answers with. Terminus' readiness report (503 with each
 * check's reason) goes out as Terminus made it; anything unexpected is a 500 naming the request
 * id, logged with its stack, never sent.
 */
@Catch()
export class JsonRpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (exception instanceof HttpException) {
      const { status, message, report } = describeHttpException(exception);
      if (report !== undefined) return void reply.status(status).send(report);
      return this.send(reply, status, jsonRpcErrorBody(HTTP_REFUSAL, `${STATUS_CODES[status] ?? 'Error'}: ${message}`));
    }
    this.logger.error({ err: exception, requestId: request.id }, 'unhandled error');
    this.send(reply, HttpStatus.INTERNAL_SERVER_ERROR, jsonRpcErrorBody(INTERNAL_ERROR, `Internal error (request id ${request.id})`));
  }

  private send(reply: FastifyReply, status: number, body: string): void {
    void reply.status(status).type('application/json').send(body);
  }
}
