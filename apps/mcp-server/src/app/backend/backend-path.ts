/**
 * Relative paths whose resolution against a base ending in "/" is plain concatenation: no
 * dot-segments (a segment starting with "." or "%" could be one, "%2e" included), no query,
 * fragment, backslash or scheme, nothing the URL parser would percent-encode. Calls name such
 * paths (`users/<encodeURIComponent(id)>`).
 */
const PLAIN_RELATIVE_PATH = /^[A-Za-z0-9_~!*'()-][A-Za-z0-9_.~!*'()%-]*(?:\/[A-Za-z0-9_~!*'()-][A-Za-z0-9_.~!*'()%-]*)*$/;

export function isPlainRelativePath(path: string): boolean {
  return PLAIN_RELATIVE_PATH.test(path);
}
