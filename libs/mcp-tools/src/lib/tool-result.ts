import type { CallToolResult } from '@modelcontextprotocol/server';

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Turns what a handler returned into a `CallToolResult`; with an output DTO the value is the structured content. */
export function toCallToolResult(value: unknown, hasOutputSchema: boolean): CallToolResult {
  if (hasOutputSchema) {
    // The spec asks tools with an output schema to repeat the structured result as text for older
    // clients; parsing that text back yields the plain JSON value (no class prototypes, no undefined).
    const text = JSON.stringify(value ?? {});
    return { content: [{ type: 'text', text }], structuredContent: JSON.parse(text) as Record<string, unknown> };
  }
  if (isCallToolResult(value)) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return { content: [{ type: 'text', text }] };
}

function isCallToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as CallToolResult).content);
}

/**
 * Roughly what a result weighs on the wire, in UTF-16 code units of its text and base64 payloads:
 * cheap (no serialisation) and close enough to enforce a cap against memory blow-ups.
 */
export function approximateResultSize(result: CallToolResult): number {
  let size = 0;
  for (const block of result.content) {
    const item = block as { text?: unknown; data?: unknown; resource?: { text?: unknown; blob?: unknown } };
    if (typeof item.text === 'string') size += item.text.length;
    if (typeof item.data === 'string') size += item.data.length;
    if (typeof item.resource?.text === 'string') size += item.resource.text.length;
    if (typeof item.resource?.blob === 'string') size += item.resource.blob.length;
  }
  // Structured content repeats the text block (see toCallToolResult), so it counts once more.
  return result.structuredContent ? size * 2 : size;
}
