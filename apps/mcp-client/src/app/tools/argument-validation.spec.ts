import type { CatalogueTool } from '../discovery/catalogue';
import { compileCatalogue, summarize } from './argument-validation';

const tool = (name: string, inputSchema: Record<string, unknown>): CatalogueTool => ({ name, description: '', inputSchema });

// The schema mcp-server publishes for get_user_profile.
const getUserProfile = tool('get_user_profile', {
  type: 'object',
  properties: { user_id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
  required: ['user_id'],
  additionalProperties: false,
});

const search = tool('search', {
  type: 'object',
  properties: {
    query: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
    order: { enum: ['asc', 'desc'] },
    tags: { type: 'array', items: { type: 'string' } },
    near: { $ref: '#/$defs/Address' },
    contact: { type: 'string', format: 'email' },
  },
  required: ['query'],
  additionalProperties: false,
  $defs: { Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
});

describe('compileCatalogue', () => {
  const { checks, uncompiled } = compileCatalogue([getUserProfile, search]);
  const check = (name: string, args: unknown) => (checks.get(name) as (args: unknown) => unknown)(args);

  it('compiles every published schema', () => {
    expect([...checks.keys()]).toEqual(['get_user_profile', 'search']);
    expect(uncompiled).toEqual([]);
  });

  it('accepts valid arguments', () => {
    expect(check('get_user_profile', { user_id: '123' })).toEqual([]);
    expect(check('search', { query: 'ada', limit: 5, order: 'asc', tags: ['x'], near: { city: 'London' }, contact: 'ada@example.com' })).toEqual([]);
  });

  it('names each failing field with what is wrong', () => {
    expect(check('get_user_profile', { user_id: '../admin', verbose: true })).toEqual([
      { field: 'verbose', message: 'is not allowed' },
      { field: 'user_id', message: 'must match pattern "^[A-Za-z0-9_-]+$"' },
    ]);
    expect(check('get_user_profile', {})).toEqual([{ field: 'user_id', message: 'is required' }]);
  });

  it('reaches into nested objects, arrays, $defs, enums and formats', () => {
    expect(check('search', { query: 'x', limit: 0, order: 'up', tags: ['a', 3], near: { town: 'x' }, contact: 'not-mail' })).toEqual([
      { field: 'limit', message: 'must be >= 1' },
      { field: 'order', message: 'must be one of "asc", "desc"' },
      { field: 'tags[1]', message: 'must be string' },
      { field: 'near.city', message: 'is required' },
      { field: 'near.town', message: 'is not allowed' },
      { field: 'contact', message: 'must match format "email"' },
    ]);
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [null, [1], 'text', 42]) {
      expect(check('get_user_profile', body)).toEqual([{ field: '', message: 'the arguments must be a JSON object' }]);
    }
  });

  it('reads draft-07 schemas as draft-07 and defaults to 2020-12', () => {
    const draft07 = tool('legacy', {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } },
    });
    const modern = tool('modern', { type: 'object', properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] } } });
    const compiled = compileCatalogue([draft07, modern]);
    expect(compiled.uncompiled).toEqual([]);
    expect((compiled.checks.get('legacy') as (args: unknown) => unknown)({ pair: ['a', 'b'] })).toEqual([{ field: 'pair[1]', message: 'must be number' }]);
    expect((compiled.checks.get('modern') as (args: unknown) => unknown)({ pair: ['a', 'b'] })).toEqual([{ field: 'pair[1]', message: 'must be number' }]);
  });

  it('leaves a tool whose schema does not compile unchecked, without affecting the others', () => {
    const broken = tool('broken', { type: 'object', properties: { x: { $ref: '#/$defs/Missing' } } });
    const compiled = compileCatalogue([broken, getUserProfile]);
    expect(compiled.checks.has('broken')).toBe(false);
    expect(compiled.uncompiled).toEqual([{ tool: 'broken', reason: expect.stringContaining('Missing') }]);
    expect(compiled.checks.has('get_user_profile')).toBe(true);
  });

  it('does not let two tools with the same $id collide', () => {
    const a = tool('a', { $id: 'https://example.com/args', type: 'object', properties: { n: { type: 'number' } } });
    const b = tool('b', { $id: 'https://example.com/args', type: 'object', properties: { n: { type: 'string' } } });
    const compiled = compileCatalogue([a, b]);
    expect(compiled.uncompiled).toEqual([]);
    expect((compiled.checks.get('b') as (args: unknown) => unknown)({ n: 'text' })).toEqual([]);
  });
});

describe('summarize', () => {
  it('makes one sentence naming the tool and each field', () => {
    const message = summarize('get_user_profile', [
      { field: 'user_id', message: 'is required' },
      { field: '', message: 'the arguments must be a JSON object' },
    ]);
    expect(message).toBe('invalid arguments for get_user_profile: user_id is required; the arguments must be a JSON object');
  });
});
