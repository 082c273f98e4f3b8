import type { CatalogueTool } from '../discovery/catalogue';
import { SchemaCompiler } from '../schemas/schema-compiler';
import { ArgumentCheck, CatalogueChecks, summarize } from './argument-validation';

const tool = (name: string, inputSchema: Record<string, unknown>): CatalogueTool => ({ name, description: '', inputSchema });

/** The checks of a catalogue of `tools`, and the tools whose schema did not compile, as the first calls find them. */
function compileCatalogue(tools: CatalogueTool[]) {
  const uncompiled: Array<{ tool: string; reason: string }> = [];
  const catalogue = new CatalogueChecks(new Map(tools.map((entry) => [entry.name, entry])), new SchemaCompiler(), (name, reason) => uncompiled.push({ tool: name, reason }));
  const checks = new Map<string, ArgumentCheck>();
  for (const { name } of tools) {
    const check = catalogue.checkFor(name);
    if (check) checks.set(name, check);
  }
  return { checks, uncompiled };
}

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

describe('CatalogueChecks', () => {
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

  it('compiles a tool on its first check only, once', () => {
    const compiler = new SchemaCompiler();
    const compile = jest.spyOn(compiler, 'compile');
    const catalogue = new CatalogueChecks(new Map([getUserProfile, search].map((entry) => [entry.name, entry])), compiler);
    expect(compile).not.toHaveBeenCalled();
    catalogue.checkFor('search');
    catalogue.checkFor('search');
    expect(compile).toHaveBeenCalledTimes(1);
    expect(catalogue.checkFor('unknown')).toBeUndefined();
  });

  it('sees only own properties: `constructor` and `toString` are arguments like any other, a declared `__proto__` breaks nothing', () => {
    // Parsed, as a published schema is: in a literal, `__proto__` would set the prototype.
    const inherited = tool(
      'inherited',
      JSON.parse('{"type":"object","properties":{"constructor":{"type":"string"},"toString":{"type":"string"},"__proto__":{"type":"number"}},"required":["constructor","toString"],"additionalProperties":false}'),
    );
    const { checks } = compileCatalogue([inherited]);
    const check = checks.get('inherited') as (args: unknown) => unknown;
    expect(check({})).toEqual([
      { field: 'constructor', message: 'is required' },
      { field: 'toString', message: 'is required' },
    ]);
    expect(check({ constructor: 'c', toString: 't' })).toEqual([]);
    // A `__proto__` key never reaches the check: both body parsers of the facade refuse it (400).
  });

  it('runs published patterns in linear time, in `pattern` and `patternProperties` alike', () => {
    const evil = '^(a|a)*$';
    const { checks } = compileCatalogue([tool('evil', { type: 'object', properties: { text: { type: 'string', pattern: evil } }, patternProperties: { [evil]: { type: 'string' } } })]);
    const check = checks.get('evil') as (args: unknown) => unknown;
    // A backtracking engine takes about 2^n steps on n a's and a b: these would not finish.
    const attack = `${'a'.repeat(64)}b`;
    expect(check({ text: attack })).toEqual([{ field: 'text', message: `must match pattern "${evil}"` }]);
    expect(check({ [attack]: 1, text: 'aaaa' })).toEqual([]);
    expect(check({ ['a'.repeat(64)]: 1 })).toEqual([{ field: 'a'.repeat(64), message: 'must be string' }]);
  });

  it('refuses a pattern RE2 cannot run in linear time (backreferences, lookaround), as a schema that does not compile', () => {
    const compiled = compileCatalogue([
      tool('backreference', { type: 'object', properties: { text: { type: 'string', pattern: '^(a+)\\1$' } } }),
      tool('lookahead', { type: 'object', properties: { text: { type: 'string', pattern: '^(?=a)a$' } } }),
      getUserProfile,
    ]);
    expect(compiled.uncompiled.map((entry) => entry.tool)).toEqual(['backreference', 'lookahead']);
    expect(compiled.checks.has('get_user_profile')).toBe(true);
  });

  it('keeps ECMAScript pattern syntax: classes, escapes, named groups, Unicode', () => {
    const { checks } = compileCatalogue([
      tool('syntax', {
        type: 'object',
        properties: {
          code: { type: 'string', pattern: '^\\d{3}-\\w+$' },
          year: { type: 'string', pattern: '^(?<year>\\d{4})$' },
          letter: { type: 'string', pattern: '^\\p{Lu}\\u00e9$' },
        },
      }),
    ]);
    const check = checks.get('syntax') as (args: unknown) => unknown;
    expect(check({ code: '123-abc', year: '2026', letter: 'Ré' })).toEqual([]);
    expect(check({ code: '12-abc', year: '26', letter: 'ré' })).toHaveLength(3);
  });

  it('keeps recursive schemas working after they leave ajv\'s cache', () => {
    const node = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } } };
    const { checks } = compileCatalogue([tool('tree', { type: 'object', properties: { root: { $ref: '#/$defs/node' } }, $defs: { node } })]);
    const check = checks.get('tree') as (args: unknown) => unknown;
    expect(check({ root: { children: [{ name: 'a', children: [{ name: 1 }] }] } })).toEqual([{ field: 'root.children[0].children[0].name', message: 'must be string' }]);
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
