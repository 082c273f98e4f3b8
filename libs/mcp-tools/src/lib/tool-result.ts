import type { CallToolResult } from '@modelcontextprotocol/server';

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Turns what a handler returned into a `CallToolResult`; with an output DTO the value is the structured content. */
export function toCallToolResult(value: unknown, hasOutputSchema: boolean): CallToolResult {
  if (hasOutputSchema) {
    const structuredContent = JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
    // The spec asks tools with an output schema to repeat the structured result as text for older clients.
    return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
  }
  if (isCallToolResult(value)) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return { content: [{ type: 'text', text }] };
}

function isCallToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as CallToolResult).content);
}
