import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'pino';
import { HostAllowListCheck, logWhenClosed, requestIdFor } from '@mcp-platform/service-runtime';
import { errorResponse } from '../tools/api-exception.filter';
import { ApiError, ForeignHostError } from '../tools/api-errors';
import { attachPrincipal } from './caller-principal';
import { FacadeBearerAuth, PROTECTED_RESOURCE_METADATA_PATH } from './facade-bearer-auth';

export interface FacadeDoorOptions {
  foreignHostOrOrigin: HostAllowListCheck;
  /** Inbound auth; absent when MCP_CLIENT_AUTH_ENABLED is false. */
  auth?: FacadeBearerAuth;
}

/**
 * Probes and scrapers: the kubelet sends the pod IP as Host, so the allow-list cannot apply (the
 * server exempts the same routes); they carry no tool and no catalogue.
 */
const ANY_HOST = new Set(['/health/live', '/health/ready', '/metrics']);

/** Open without a token: the probes, the metadata a caller needs to get one, and the Swagger UI page (not its document). */
function needsNoToken(path: string): boolean {
  return ANY_HOST.has(path) || path === PROTECTED_RESOURCE_METADATA_PATH || path === '/docs' || path.startsWith('/docs/');
}

/**
 * Every request to the client passes here first, before the fast call route and Fastify, so no
 * route can forget it: the Host/Origin allow-list (403), then, when inbound auth is on, a valid
 * Entra token (401/403) on every route but those `needsNoToken` names. Anything unknown is
 * guarded: a path spelled to dodge a rule (`/%74ools`) meets the stricter one.
 */
export class FacadeDoor {
  private readonly errorLogger = new NestLogger('Errors');

  constructor(
    private readonly options: FacadeDoorOptions,
    private readonly accessLogger: Logger,
  ) {}

  get auth(): FacadeBearerAuth | undefined {
    return this.options.auth;
  }

  /**
   * Serves `req` through `next` when admitted, or answers the refusal itself. Synchronous when
   * inbound auth is off or the route needs no token, so the hot path gains no promise.
   */
  pass(req: IncomingMessage, res: ServerResponse, next: (req: IncomingMessage, res: ServerResponse) => void): void {
    const path = pathOf(req.url ?? '/');
    if (!ANY_HOST.has(path)) {
      const refusal = this.options.foreignHostOrOrigin(req);
      if (refusal !== undefined) return this.refuse(req, res, new ForeignHostError(refusal));
    }
    const auth = this.options.auth;
    if (auth === undefined || needsNoToken(path)) return next(req, res);
    auth.authenticate(req).then(
      (principal) => {
        attachPrincipal(req, principal);
        next(req, res);
      },
      (error: unknown) => this.refuse(req, res, error),
    );
  }

  private refuse(req: IncomingMessage, res: ServerResponse, error: ApiError | unknown): void {
    const requestId = requestIdFor(req);
    logWhenClosed(this.accessLogger, req, res, requestId);
    const { status, body, headers } = errorResponse(error, requestId, this.errorLogger);
    const json = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'x-request-id': requestId, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
