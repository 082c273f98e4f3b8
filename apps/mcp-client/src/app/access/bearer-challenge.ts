/**
 * An RFC 6750 §3 `WWW-Authenticate` value with the RFC 9728 §5.1 `resource_metadata` parameter.
 * Quoted-string rules: a description with `"` or `\` is escaped, so it cannot end the value early.
 */
export function bearerChallenge(error: 'invalid_token' | 'insufficient_scope', description: string, resourceMetadataUrl: string): string {
  return `Bearer error="${error}", error_description="${quote(description)}", resource_metadata="${quote(resourceMetadataUrl)}"`;
}

function quote(text: string): string {
  return text.replace(/[\\"]/g, '\\$&');
}
