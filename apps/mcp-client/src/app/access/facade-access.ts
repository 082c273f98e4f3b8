import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { hostAllowListCheck } from '@mcp-platform/service-runtime';
import { ClientConfig } from '../config/client-config';
import { FacadeBearerAuth, PROTECTED_RESOURCE_METADATA_PATH } from './facade-bearer-auth';
import { FacadeDoor } from './facade-door';

/** The door the client's settings describe: MCP_CLIENT_ALLOWED_* always, MCP_CLIENT_AUTH_* when enabled. */
export function facadeDoorFor(config: ClientConfig, accessLogger: Logger): FacadeDoor {
  const auth = config.MCP_CLIENT_AUTH_ENABLED
    ? new FacadeBearerAuth({
        tenantId: config.AZURE_TENANT_ID as string,
        authorityHost: config.AZURE_AUTHORITY_HOST,
        audiences: config.MCP_CLIENT_AUTH_AUDIENCES,
        requiredRoles: config.MCP_CLIENT_AUTH_REQUIRED_ROLES,
      })
    : undefined;
  const foreignHostOrOrigin = hostAllowListCheck(config.MCP_CLIENT_ALLOWED_HOSTS, config.MCP_CLIENT_ALLOWED_ORIGINS ?? config.MCP_CLIENT_ALLOWED_HOSTS);
  return new FacadeDoor({ foreignHostOrOrigin, auth }, accessLogger);
}

/** RFC 9728 metadata at the URL the 401 challenge names; only when inbound auth is on. */
export function registerProtectedResourceMetadata(fastify: FastifyInstance, door: FacadeDoor): void {
  const auth = door.auth;
  if (auth === undefined) return;
  // The document names the Host it was asked on (an allowed one): caches must key on it.
  fastify.get(PROTECTED_RESOURCE_METADATA_PATH, (request, reply) => reply.header('vary', 'Host').send(auth.metadata(request.raw)));
}
