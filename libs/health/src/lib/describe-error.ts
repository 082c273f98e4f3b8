import { redactUrlCredentials } from '@mcp-platform/config';

interface ErrorLike {
  name?: string;
  message: string;
  code?: string;
  cause?: unknown;
}

// Duck-typed rather than `instanceof Error`: errors from fetch (undici) may come from another realm.
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';
}

/**
 * A one-line reason for a failed check, with the cause's code where fetch wraps it ("fetch failed:
 * ECONNREFUSED"); a URL's userinfo inside a message is removed.
 */
export function describeError(error: unknown): string {
  return redactUrlCredentials(rawReason(error));
}

function rawReason(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
  const cause = error.cause;
  if (!isErrorLike(cause)) return error.message;
  return `${error.message}: ${cause.code ?? cause.message}`;
}
