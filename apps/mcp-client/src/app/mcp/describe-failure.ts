import { redactUrlCredentials } from '@mcp-platform/config';

interface ErrorLike {
  message: string;
  code?: unknown;
  status?: unknown;
  cause?: unknown;
}

// Duck-typed: errors from fetch (undici) and from the SDK's brands are not always `instanceof Error` here.
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';
}

/**
 * One line saying why talking to the server failed: the SDK's message, the HTTP status where
 * there was one, and the root cause's code (`ECONNREFUSED`) or message from fetch's cause chain,
 * e.g. "Version negotiation probe failed: fetch failed: ECONNREFUSED". A URL's userinfo inside a
 * message is removed: these lines reach logs, readiness and callers.
 */
export function describeFailure(error: unknown): string {
  return redactUrlCredentials(rawFailure(error));
}

function rawFailure(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  let text = error.message.trim().replace(/:$/, '');
  if (typeof error.status === 'number' && !text.includes(`HTTP ${error.status}`)) text += ` (HTTP ${error.status})`;
  let cause = error.cause;
  for (let depth = 0; isErrorLike(cause) && depth < 5; depth += 1) {
    const next: unknown = cause.cause;
    if (!isErrorLike(next)) {
      const root = typeof cause.code === 'string' ? cause.code : cause.message;
      if (root && !text.includes(root)) text += `: ${root}`;
      break;
    }
    if (!text.includes(cause.message)) text += `: ${cause.message}`;
    cause = next;
  }
  return text;
}
