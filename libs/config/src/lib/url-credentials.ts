/**
 * A configured URL may carry `user:password@` (a backend behind Basic auth, a proxy). Whatever is
 * shown, logged or measured goes through these helpers so the password never leaves the process.
 */

// The authority's userinfo ends at its last `@`, so the class stops only at what ends an authority.
const USERINFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** The URL as it may be shown: the same URL without its userinfo. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactUrlCredentials(String(url));
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  return withoutCredentials(parsed).href;
}

/** Free text (an error message from fetch, say) with the userinfo of every URL in it removed. */
export function redactUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(USERINFO_IN_TEXT, '$1') : text;
}

/** A copy of the URL without its userinfo: what fetch accepts, which refuses URLs with credentials. */
export function withoutCredentials(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

/** The `Basic` authorization for the URL's userinfo, or undefined when it has none. */
export function basicAuthorization(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}
