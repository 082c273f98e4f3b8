import type { OpenAPIObject } from '@nestjs/swagger';
import type { CatalogueTool } from '../discovery/catalogue';
import { buildOpenApiDocument, reanchor, toolCallPath } from './openapi-document';

const base: OpenAPIObject = {
  openapi: '3.1.0',
  info: { title: 'mcp-client', version: '1.0.0', description: 'REST facade.' },
  paths: { '/tools': { get: { responses: { '200': { description: 'catalogue' } } } } },
  components: { schemas: {} },
  tags: [{ name: 'catalogue' }],
};

const getUserProfile: CatalogueTool = {
  name: 'get_user_profile',
  title: 'Get user profile',
  description: 'Looks up a user profile.',
  inputSchema: { type: 'object', properties: { user_id: { type: 'string' } }, required: ['user_id'], additionalProperties: false },
  outputSchema: { type: 'object', properties: { id: { type: 'string' } } },
  annotations: { readOnlyHint: true },
};

const search: CatalogueTool = {
  name: 'search',
  description: 'Searches.',
  inputSchema: { type: 'object', properties: { near: { $ref: '#/$defs/Address' } }, $defs: { Address: { type: 'object' } } },
};

interface DocumentedCall {
  operationId: string;
  description: string;
  requestBody: { content: Record<string, { schema: object }> };
  responses: Record<string, { headers?: Record<string, object>; content?: Record<string, { schema: { properties: Record<string, object> } }> }>;
}

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument(base, [getUserProfile, search], 'http://mcp-server:8000/mcp');
  const schemas = document.components?.schemas as Record<string, Record<string, unknown>>;

  it('keeps the static routes and adds one call path per tool', () => {
    expect(Object.keys(document.paths)).toEqual(['/tools', '/tools/get_user_profile/call', '/tools/search/call']);
  });

  it("documents the call with the tool's input schema as the request body", () => {
    const operation = document.paths['/tools/get_user_profile/call'].post as unknown as DocumentedCall;
    expect(operation).toMatchObject({ operationId: 'call_get_user_profile', summary: 'Get user profile', tags: ['tools'] });
    expect(operation.description).toContain('Looks up a user profile.');
    expect(operation.description).toContain('read-only');
    expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/get_user_profile.arguments' });
    expect(schemas['get_user_profile.arguments']).toEqual(getUserProfile.inputSchema);
    expect(Object.keys(operation.responses)).toEqual(['200', '400', '404', '422', '502', '503', '504']);
    expect(operation.responses['200'].content?.['application/json'].schema.properties['structuredContent']).toEqual({
      $ref: '#/components/schemas/get_user_profile.structuredContent',
    });
    expect(operation.responses['503'].headers?.['Retry-After']).toBeDefined();
  });

  it('re-anchors local references of a schema where it now lives', () => {
    expect(schemas['search.arguments']).toMatchObject({ properties: { near: { $ref: '#/components/schemas/search.arguments/$defs/Address' } } });
  });

  it('leaves the base document untouched', () => {
    expect(Object.keys(base.paths)).toEqual(['/tools']);
    expect(base.components?.schemas).toEqual({});
  });

  it('has no tool paths before a catalogue is known', () => {
    expect(Object.keys(buildOpenApiDocument(base, [], 'http://x/mcp').paths)).toEqual(['/tools']);
  });
});

describe('reanchor', () => {
  it('rewrites #, #/$defs and #/definitions references, and drops every other reference and $id', () => {
    const schema = {
      properties: {
        self: { $ref: '#' },
        a: { $ref: '#/$defs/A' },
        b: { items: [{ $ref: '#/definitions/B' }] },
        remote: { $ref: 'https://example.com/schema.json' },
        relative: { $ref: 'other.json#/x', description: 'kept' },
        rebased: { $id: 'https://example.com/base', items: { $ref: 'https://example.com/item' } },
        $ref: { type: 'string' },
        $id: { type: 'string' },
      },
    };
    expect(reanchor(schema, 'tool.arguments')).toEqual({
      properties: {
        self: { $ref: '#/components/schemas/tool.arguments' },
        a: { $ref: '#/components/schemas/tool.arguments/$defs/A' },
        b: { items: [{ $ref: '#/components/schemas/tool.arguments/definitions/B' }] },
        remote: {},
        relative: { description: 'kept' },
        rebased: { items: {} },
        $ref: { type: 'string' },
        $id: { type: 'string' },
      },
    });
  });

  it('keeps a property spelled __proto__ as a property', () => {
    const copy = reanchor(JSON.parse('{"properties":{"__proto__":{"type":"string"}}}'), 'tool.arguments');
    expect(Object.keys(copy['properties'] as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(copy['properties'])).toBe(Object.prototype);
  });
});

describe('toolCallPath', () => {
  it('escapes what a path segment cannot hold', () => {
    expect(toolCallPath('get_user_profile')).toBe('/tools/get_user_profile/call');
    expect(toolCallPath('ns/tool name')).toBe('/tools/ns%2Ftool%20name/call');
  });
});
