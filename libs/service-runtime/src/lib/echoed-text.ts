/** The most of a caller's text (a tool name) an answer repeats: any caller can send megabytes. */
export const MAX_ECHOED_CHARS = 64;

/** `text` as an answer may repeat it: cut to MAX_ECHOED_CHARS, with `…` when cut. */
export function echoed(text: string): string {
  return text.length > MAX_ECHOED_CHARS ? `${text.slice(0, MAX_ECHOED_CHARS)}…` : text;
}
