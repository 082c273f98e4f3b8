import type { Tool } from '@modelcontextprotocol/client';

/** A tool as the REST facade publishes it: what a caller needs to call it, nothing of the wire. */
export interface CatalogueTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface CatalogueChange {
  added: string[];
  removed: string[];
  /** Tools present before and after whose definition (description, schemas, annotations) differs. */
  changed: string[];
}

export function toCatalogueTool(tool: Tool): CatalogueTool {
  const title = tool.title ?? tool.annotations?.title;
  return {
    name: tool.name,
    ...(title !== undefined && { title }),
    description: tool.description ?? '',
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema as Record<string, unknown> }),
    ...(tool.annotations !== undefined && { annotations: tool.annotations as Record<string, unknown> }),
  };
}

/** The listed tools in the server's order, a name listed twice (overlapping pages) kept once. */
export function catalogueFrom(tools: readonly Tool[]): CatalogueTool[] {
  const seen = new Set<string>();
  return tools.filter((tool) => !seen.has(tool.name) && seen.add(tool.name)).map(toCatalogueTool);
}

/** What changed between two listings; the order of tools and of object keys does not count. */
export function diffCatalogues(previous: readonly CatalogueTool[], next: readonly CatalogueTool[]): CatalogueChange {
  const before = new Map(previous.map((tool) => [tool.name, fingerprint(tool)]));
  const after = new Map(next.map((tool) => [tool.name, fingerprint(tool)]));
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after.keys()].filter((name) => before.has(name) && before.get(name) !== after.get(name)),
  };
}

export function isUnchanged(change: CatalogueChange): boolean {
  return change.added.length === 0 && change.removed.length === 0 && change.changed.length === 0;
}

function fingerprint(tool: CatalogueTool): string {
  return stableStringify(tool);
}

/** JSON with object keys sorted at every level, so equal definitions give equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
