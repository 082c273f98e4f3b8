/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`, by one pass over the characters
 * (jumping over strings with indexOf, half the cost of stepping through them on a 2026-07-28
 * request, most of which is `_meta` keys). The SDK's validators recurse and answer such bodies
 * with a 500 (found by the property-based tests from ~5,000 levels), so they are refused before
 * they get there: the server's MCP endpoints and the client's facade alike. An unterminated
 * string ends the scan: JSON.parse refuses that text anyway.
 */
export function nestsDeeperThan(raw: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const code = raw.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(raw, i);
      if (i < 0) return false;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index of the quote that ends the string opened at `open`, or -1: a quote after an odd run of backslashes is escaped. */
function closingQuote(raw: string, open: number): number {
  let quote = raw.indexOf('"', open + 1);
  while (quote >= 0) {
    let before = quote - 1;
    while (raw.charCodeAt(before) === BACKSLASH) before -= 1;
    if ((quote - 1 - before) % 2 === 0) return quote;
    quote = raw.indexOf('"', quote + 1);
  }
  return -1;
}
