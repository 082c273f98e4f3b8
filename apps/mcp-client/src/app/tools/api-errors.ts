import type { CallToolResult } from '@modelcontextprotocol/client';
import { echoed, type HostRefusal } from '@mcp-platform/service-runtime';
import { FieldProblem } from './argument-validation';

/**
 * An error the REST facade answers with its own status and body `{ error, message, details? }`.
 * `code` is stable (callers may branch on it); `message` is for people.
 */
export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details?: unknown;
  readonly headers: Record<string, string> = {};
}

export class UnknownToolError extends ApiError {
  override readonly name = 'UnknownToolError';
  readonly status = 404;
  readonly code = 'unknown_tool';

  constructor(tool: string, serverUrl: string) {
    super(`no tool named ${JSON.stringify(echoed(tool))} in the catalogue of ${serverUrl}`);
  }
}

export class InvalidArgumentsError extends ApiError {
  override readonly name = 'InvalidArgumentsError';
  readonly status = 400;
  readonly code = 'invalid_arguments';
  override readonly details: { fields: FieldProblem[] };

  constructor(message: string, fields: FieldProblem[]) {
    super(message);
    this.details = { fields };
  }
}

/** Arguments nested deeper than TOOL_ARGUMENTS_MAX_DEPTH, refused before they are parsed: the server would refuse them too. */
export function argumentsTooDeep(maxDepth: number): InvalidArgumentsError {
  const message = `the arguments nest arrays and objects deeper than ${maxDepth} levels (TOOL_ARGUMENTS_MAX_DEPTH)`;
  return new InvalidArgumentsError(message, [{ field: '', message }]);
}

/** The tool ran and reported failure (`isError: true`); the details carry its result content. */
export class ToolExecutionError extends ApiError {
  override readonly name = 'ToolExecutionError';
  readonly status = 422;
  readonly code = 'tool_error';
  override readonly details: Pick<CallToolResult, 'content' | 'structuredContent'>;

  constructor(tool: string, result: CallToolResult) {
    const text = result.content
      .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
      .map((block) => block.text)
      .join('\n');
    super(text || `${tool} reported an error`);
    this.details = { content: result.content, ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent }) };
  }
}

export class ServerUnavailableError extends ApiError {
  override readonly name = 'ServerUnavailableError';
  readonly status = 503;
  readonly code = 'server_unavailable';

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

export class ToolCallTimeoutError extends ApiError {
  override readonly name = 'ToolCallTimeoutError';
  readonly status = 504;
  readonly code = 'tool_timeout';

  constructor(tool: string, timeoutSeconds: number) {
    super(`${tool} did not answer within ${timeoutSeconds} s`);
  }
}

/** The server answered with something other than a result: a JSON-RPC error, or a result that breaks the tool's output schema. */
export class UpstreamError extends ApiError {
  override readonly name = 'UpstreamError';
  readonly status = 502;
  readonly code = 'upstream_error';

  constructor(message: string) {
    super(message);
  }
}

/**
 * The Host or Origin header names a site not in MCP_CLIENT_ALLOWED_HOSTS / _ORIGINS (403, DNS-rebinding
 * protection), or the Host is malformed or repeated (400).
 */
export class ForeignHostError extends ApiError {
  override readonly name = 'ForeignHostError';
  readonly status: 400 | 403;
  readonly code: 'bad_request' | 'host_not_allowed';
  constructor(refusal: HostRefusal) {
    super(refusal.message);
    this.status = refusal.status;
    this.code = refusal.status === 400 ? 'bad_request' : 'host_not_allowed';
  }
}

/**
 * Inbound auth refused the caller: `invalid_token` (401, no or a bad token) or
 * `insufficient_scope` (403, a good token without the required roles), with the RFC 6750
 * `WWW-Authenticate` challenge that points at the facade's RFC 9728 metadata.
 */
export class CallerRefusedError extends ApiError {
  override readonly name = 'CallerRefusedError';
  readonly status: 401 | 403;

  constructor(
    readonly code: 'invalid_token' | 'insufficient_scope',
    description: string,
    challenge: string,
  ) {
    super(description);
    this.status = code === 'insufficient_scope' ? 403 : 401;
    this.headers['www-authenticate'] = challenge;
  }
}

/**
 * The facade's caller went away before the answer: the call to the server was cut. Nobody reads
 * this answer; it exists so the call is counted (outcome `cancelled`) and not taken for an outage.
 */
export class CallerGoneError extends ApiError {
  override readonly name = 'CallerGoneError';
  // What proxies log for a request whose client closed it (nginx's 499).
  readonly status = 499;
  readonly code = 'caller_gone';

  constructor(tool: string) {
    super(`the caller of ${tool} went away; the call to the MCP server was cancelled`);
  }
}
