import type { IncomingMessage } from 'node:http';
import { EntraTokenVerifier, EntraTokenVerifierOptions, TokenVerificationError } from '@mcp-platform/azure-auth';
import { requestOrigin } from '@mcp-platform/service-runtime';
import { CallerRefusedError } from '../tools/api-errors';
import { bearerChallenge } from './bearer-challenge';
import { CallerPrincipal } from './caller-principal';

/** The facade is protected as one resource, `<origin>/tools`; its metadata lives at the RFC 9728 path-inserted well-known URL. */
export const PROTECTED_RESOURCE_PATH = '/tools';
export const PROTECTED_RESOURCE_METADATA_PATH = `/.well-known/oauth-protected-resource${PROTECTED_RESOURCE_PATH}`;

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Inbound Entra bearer auth for the facade, on the verifier the server's MCP endpoints use
 * (signature, issuer, audience, lifetime, roles). The server cannot tell the facade's callers
 * apart (they all arrive with the client's identity), so without this any caller that reaches the
 * facade calls tools as the client.
 */
export class FacadeBearerAuth {
  private readonly verifier: EntraTokenVerifier;

  constructor(private readonly options: EntraTokenVerifierOptions) {
    this.verifier = new EntraTokenVerifier(options);
  }

  /** The verified caller of `req`; throws CallerRefusedError (401/403 with a challenge) otherwise. */
  async authenticate(req: IncomingMessage): Promise<CallerPrincipal> {
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      const description = header === undefined ? 'an Authorization: Bearer token is required' : "the Authorization header must be 'Bearer <token>'";
      throw this.refusal(req, 'invalid_token', description);
    }
    try {
      return { ...(await this.verifier.verify(token)), token };
    } catch (error) {
      if (error instanceof TokenVerificationError && error.code === 'insufficient_scope') throw this.refusal(req, 'insufficient_scope', error.description);
      throw this.refusal(req, 'invalid_token', error instanceof TokenVerificationError ? error.description : 'the token could not be verified');
    }
  }

  /** RFC 9728 metadata: this facade as the resource, Entra (the tenant's v2 issuer) as its authorization server. */
  metadata(req: IncomingMessage): object {
    return {
      resource: `${requestOrigin(req)}${PROTECTED_RESOURCE_PATH}`,
      authorization_servers: [this.verifier.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: this.options.audiences.filter((audience) => audience.includes('://')).map((uri) => `${uri}/.default`),
      resource_name: 'mcp-client',
    };
  }

  private refusal(req: IncomingMessage, code: 'invalid_token' | 'insufficient_scope', description: string): CallerRefusedError {
    return new CallerRefusedError(code, description, bearerChallenge(code, description, `${requestOrigin(req)}${PROTECTED_RESOURCE_METADATA_PATH}`));
  }
}
