/**
 * An inbound token was refused. `code` is the RFC 6750 error: `invalid_token` (401) or
 * `insufficient_scope` (403). The description names the failed check and never echoes the token.
 */
export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';

  constructor(
    readonly code: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
    readonly description: string,
  ) {
    super(description);
  }

  get httpStatus(): 401 | 403 | 400 {
    return this.code === 'insufficient_scope' ? 403 : this.code === 'invalid_request' ? 400 : 401;
  }
}
