import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { describeHttpException } from '@mcp-platform/service-runtime';
import { ApiError } from './api-errors';

/** The body of every error the client answers with. Never a stack trace. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** What the client answers for `exception`: status, headers and the one error body shape. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * The answer to `exception`, for the filter and for the routes served in front of Fastify alike.
 * Anything unexpected is logged with its stack (never sent) and named by the request id.
 */
export function errorResponse(exception: unknown, requestId: string, logger: Pick<Logger, 'error'>): ErrorResponse {
  if (exception instanceof ApiError) {
    const body: ErrorBody = { error: exception.code, message: exception.message };
    if (exception.details !== undefined) body.details = exception.details;
    return { status: exception.status, body, headers: exception.headers };
  }
  if (exception instanceof HttpException) {
    const { status, message, report } = describeHttpException(exception);
    // A report made for the caller (Terminus' readiness with each check's reason) goes out as it is.
    if (report !== undefined) return { status, body: report as ErrorBody, headers: {} };
    return { status, body: { error: errorCodeFor(status), message }, headers: {} };
  }
  logger.error({ err: exception, requestId }, 'unhandled error');
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: 'internal_error', message: `internal error (request id ${requestId})` },
    headers: {},
  };
}

/**
 * One error shape for the whole HTTP surface: `ApiError`s with their status, headers and details;
 * Nest's and Fastify's own (404 route, 415, malformed JSON) with a snake_case `error` from their
 * status; anything else a 500 that names the request id, logged with its stack. Terminus' health
 * report (an HttpException with its own body) is left as Terminus made it.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = errorResponse(exception, String(request.id), this.logger);
    void reply.status(status).headers(headers).send(body);
  }
}

/** The `error` of an HTTP-level refusal: the status' name in snake_case (`unsupported_media_type`). */
export function errorCodeFor(status: number): string {
  const name = (HttpStatus[status] as string | undefined) ?? STATUS_CODES[status];
  return name ? name.toLowerCase().replace(/[^a-z0-9]+/g, '_') : `http_${status}`;
}
