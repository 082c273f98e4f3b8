import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException, Logger as NestLogger } from '@nestjs/common';
import type { FastifyBodyParser } from 'fastify';
import type { Logger } from 'pino';
import { logWhenClosed, nestsDeeperThan, requestIdFor, withRequestId } from '@mcp-platform/service-runtime';
import { argumentsTooDeep } from './api-errors';
import { errorResponse } from './api-exception.filter';
import { callerGoneSignal } from './caller-gone';
import type { ToolCallService } from './tool-call.service';

const CALL_PATH = /^\/tools\/([^/?#]+)\/call$/;

export interface ToolCallRouteBindings {
  calls: ToolCallService;
  /** Fastify's own JSON body parser (`getDefaultJsonParser`), so bodies are read exactly as on every other route. */
  parseJson: FastifyBodyParser<string>;
}

/**
 * `POST /tools/{name}/call` served in front of Fastify, straight from the HTTP server: Fastify's
 * routing, Nest's middleware (a child logger per request) and its controller pipeline were ~30 µs of
 * a forwarded call (`npm run bench -- --only facade --profile DIR`). The same ToolCallService
 * answers, with the same error bodies; anything this route does not take as it is (another
 * content type, no Content-Length, a body over the limit, a name that does not decode, a shutdown
 * under way) goes on to Fastify and the controller, whose answers are the reference
 * (`mcp-client-e2e/src/rest-fast-route.e2e-spec.ts` compares the two).
 */
export class ToolCallRoute {
  private bound?: ToolCallRouteBindings;
  private closing = false;
  private readonly errorLogger = new NestLogger('Errors');

  constructor(
    private readonly accessLogger: Logger,
    private readonly bodyLimit: number,
    /** TOOL_ARGUMENTS_MAX_DEPTH, checked on the body's text before it is parsed (as Fastify's parser does, see bootstrap). */
    private readonly maxArgumentDepth: number,
  ) {}

  bind(bindings: ToolCallRouteBindings): void {
    this.bound = bindings;
  }

  /** From now on Fastify takes every request, and answers 503 as it does while closing. */
  startClosing(): void {
    this.closing = true;
  }

  /** The tool a request calls when this route takes it; undefined when it goes on to Fastify. */
  toolCalledBy(req: IncomingMessage): string | undefined {
    if (this.bound === undefined || this.closing || req.method !== 'POST') return undefined;
    const length = Number(req.headers['content-length']);
    if (!(length > 0 && length <= this.bodyLimit) || req.headers['transfer-encoding'] !== undefined || !isJsonContentType(req.headers['content-type'])) return undefined;
    return toolName(req.url ?? '');
  }

  serve(req: IncomingMessage, res: ServerResponse, name: string): void {
    const bound = this.bound as ToolCallRouteBindings;
    const requestId = requestIdFor(req);
    res.setHeader('x-request-id', requestId);
    logWhenClosed(this.accessLogger, req, res, requestId);
    const chunks: Buffer[] = [];
    // A caller gone mid-body: nobody is left to answer, and the socket is already closed.
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    const callerGone = callerGoneSignal(res);
    req.on('end', () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
      if (nestsDeeperThan(text, this.maxArgumentDepth)) return this.answerError(res, argumentsTooDeep(this.maxArgumentDepth), requestId);
      const call = (body: unknown) =>
        withRequestId(requestId, () => bound.calls.call(name, body, callerGone)).then(
          (result) => answer(res, 200, result, {}),
          (failure: unknown) => this.answerError(res, failure, requestId),
        );
      const body = plainJson(text);
      if (body !== NOT_PLAIN) return void call(body);
      bound.parseJson(req as never, text, (error, parsed) => (error ? this.answerError(res, new BadRequestException(error.message), requestId) : void call(parsed)));
    });
  }

  private answerError(res: ServerResponse, exception: unknown, requestId: string): void {
    const { status, body, headers } = errorResponse(exception, requestId, this.errorLogger);
    answer(res, status, body, headers);
  }
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const NOT_PLAIN = Symbol('not-plain');

/**
 * The body parsed with JSON.parse when Fastify's parser (secure-json-parse) could not answer
 * otherwise: it only adds refusals of `__proto__` and `constructor.prototype` keys, which cannot
 * occur in a text that spells neither name nor any `\u` escape. Everything else, malformed JSON
 * included, goes to Fastify's parser for its own answer. Its wrapper was ~6 µs a call.
 */
function plainJson(text: string): unknown {
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) return NOT_PLAIN;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_PLAIN;
  }
}

function toolName(url: string): string | undefined {
  const encoded = CALL_PATH.exec(url)?.[1];
  if (encoded === undefined || !encoded.includes('%')) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [essence, ...parameters] = contentType.split(';');
  if (essence.trim().toLowerCase() !== 'application/json') return false;
  // Fastify refuses a charset other than utf-8 (415); leave such requests to it.
  return parameters.every((parameter) => parameter.trim().toLowerCase() === 'charset=utf-8');
}
