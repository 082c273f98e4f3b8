import type { OpenAPIObject } from '@nestjs/swagger';
import type { CatalogueTool } from '../discovery/catalogue';
import { toolIds } from './tool-ids';

type SchemaObject = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** The path a tool is called at, as the facade routes it. */
export function toolCallPath(tool: string): string {
  return `/tools/${encodeURIComponent(tool)}/call`;
}

const ERROR_BODY: SchemaObject = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
};

const errorResponse = (description: string, extra: Operation = {}) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  ...extra,
});

/**
 * The OpenAPI document of the facade for one catalogue version: the base document (the static
 * routes, scanned by @nestjs/swagger) plus `POST /tools/{name}/call` per discovered tool, whose
 * request body is the tool's published input schema. OpenAPI 3.1, whose schema dialect is JSON
 * Schema 2020-12 (MCP's default), so schemas are carried over as they are, except that local
 * `$ref`s are re-anchored where the schema now lives (under `components.schemas`).
 */
export function buildOpenApiDocument(base: OpenAPIObject, tools: readonly CatalogueTool[], serverUrl: string): OpenAPIObject {
  const schemas: Record<string, SchemaObject> = { ErrorBody: ERROR_BODY };
  const paths: Record<string, Record<string, Operation>> = {};
  const ids = toolIds(tools.map((tool) => tool.name));
  for (const tool of tools) {
    const id = ids.get(tool.name) as string;
    schemas[`${id}.arguments`] = reanchor(tool.inputSchema, `${id}.arguments`);
    if (tool.outputSchema) schemas[`${id}.structuredContent`] = reanchor(tool.outputSchema, `${id}.structuredContent`);
    paths[toolCallPath(tool.name)] = { post: callOperation(tool, id) };
  }
  return {
    ...base,
    info: {
      ...base.info,
      description: `${base.info.description ?? ''}\n\nThe tools below are those the client discovered on ${serverUrl}; this document follows the catalogue as it changes.`.trim(),
    },
    tags: [...(base.tags ?? []), { name: 'tools', description: `Tools of the MCP server at ${serverUrl}` }],
    paths: { ...base.paths, ...paths } as OpenAPIObject['paths'],
    components: { ...base.components, schemas: { ...base.components?.schemas, ...schemas } as NonNullable<OpenAPIObject['components']>['schemas'] },
  };
}

function callOperation(tool: CatalogueTool, id: string): Operation {
  const hints = describeAnnotations(tool.annotations);
  return {
    tags: ['tools'],
    operationId: `call_${id}`,
    summary: tool.title ?? tool.name,
    description: [tool.description, hints].filter(Boolean).join('\n\n'),
    requestBody: {
      required: true,
      description: `The arguments of ${tool.name}`,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}.arguments` } } },
    },
    responses: {
      '200': {
        description: 'The tool result (MCP CallToolResult)',
        content: { 'application/json': { schema: callResultSchema(tool.outputSchema ? `#/components/schemas/${id}.structuredContent` : undefined) } },
      },
      '400': errorResponse('The body is not a JSON object, or fails the input schema; `details.fields` names each failing field'),
      '404': errorResponse('The tool is no longer in the catalogue'),
      '422': errorResponse('The tool ran and reported an error (`isError`); `details.content` is its result content'),
      '502': errorResponse('The MCP server answered with something other than a result'),
      '503': errorResponse('The MCP server is unreachable', {
        headers: { 'Retry-After': { description: 'Seconds until the client tries the server again', schema: { type: 'integer' } } },
      }),
      '504': errorResponse('The tool did not answer within TOOL_CALL_TIMEOUT'),
    },
  };
}

function callResultSchema(structuredContentRef: string | undefined): SchemaObject {
  return {
    type: 'object',
    required: ['content'],
    properties: {
      content: { type: 'array', items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
      ...(structuredContentRef ? { structuredContent: { $ref: structuredContentRef } } : { structuredContent: {} }),
      isError: { type: 'boolean' },
    },
  };
}

function describeAnnotations(annotations: Record<string, unknown> | undefined): string {
  if (!annotations) return '';
  const hints = [
    annotations['readOnlyHint'] === true && 'read-only',
    annotations['destructiveHint'] === true && 'destructive',
    annotations['idempotentHint'] === true && 'idempotent',
    annotations['openWorldHint'] === true && 'reaches outside systems',
  ].filter(Boolean);
  return hints.length > 0 ? `Hints from the server: ${hints.join(', ')}.` : '';
}

/** Keys that make a reader resolve a URL: `$id` moves the base a relative `$ref` resolves against. */
const REMOTE_BASE = '$id';

/**
 * A copy of `schema` whose local references (`#`, `#/$defs/...`, `#/definitions/...`) point into
 * its new place, `#/components/schemas/<name>`: inside the OpenAPI document `#` is the document.
 * Any other `$ref` (`https://...`, `other.json#/x`) and every `$id` are dropped: the schema is the
 * MCP server's, and a browser opening /docs must not fetch what the server chose (Swagger UI
 * resolves external references). A dropped reference leaves its subschema open (`{}`).
 */
export function reanchor(schema: SchemaObject, name: string): SchemaObject {
  const base = `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    // Entries, not assignment: a key spelled `__proto__` stays a plain property.
    const entries: Array<[string, unknown]> = [];
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && (key === REMOTE_BASE || (key === '$ref' && !value.startsWith('#')))) continue;
      entries.push([key, key === '$ref' && typeof value === 'string' ? base + value.slice(1) : visit(value)]);
    }
    return Object.fromEntries(entries);
  };
  return visit(schema) as SchemaObject;
}
