import { HttpException } from '@nestjs/common';

/** What an app's error body needs from a Nest HttpException (Nest's own and Fastify's, mapped by the adapter). */
export interface HttpExceptionParts {
  status: number;
  /** For people: Nest's message, or its validation messages joined. */
  message: string;
  /** A report made for the caller (Terminus' readiness with each check's reason): sent as it is. */
  report?: object;
}

export function describeHttpException(exception: HttpException): HttpExceptionParts {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && !('statusCode' in response)) return { status, message: exception.message, report: response };
  return { status, message: messageOf(exception, response) };
}

function messageOf(exception: HttpException, response: string | object): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
