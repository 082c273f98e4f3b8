/** No token could be had; `code` is Entra's AADSTS code when it gave one. */
export class TokenAcquisitionError extends Error {
  override readonly name = 'TokenAcquisitionError';
  readonly code?: string;

  constructor(scopes: string[], cause: unknown) {
    const reason = describeCause(cause);
    super(`no token for ${scopes.join(' ')}: ${reason}`, { cause });
    this.code = /AADSTS\d+/.exec(reason)?.[0];
  }
}

function describeCause(cause: unknown): string {
  const message = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
  // Entra's error_description is the useful part; the SDK wraps it in long prose and trace links.
  const aadsts = /AADSTS\d+:[^\r\n]*?(?=(?:\s+Trace ID:|\r|\n|$))/.exec(message);
  return (aadsts?.[0] ?? message.split('\n')[0]).trim();
}
