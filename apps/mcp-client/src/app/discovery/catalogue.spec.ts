import type { Tool } from '@modelcontextprotocol/client';
import { catalogueFrom, CatalogueTool, diffCatalogues, isUnchanged, stableStringify, toCatalogueTool } from './catalogue';

const tool = (name: string, extra: Partial<CatalogueTool> = {}): CatalogueTool => ({
  name,
  description: `${name} does things`,
  inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  ...extra,
});

describe('diffCatalogues', () => {
  it('finds nothing between equal listings, whatever the order of tools and keys', () => {
    const before = [tool('a'), tool('b')];
    const after = [
      { inputSchema: { required: ['id'], properties: { id: { type: 'string' } }, type: 'object' }, description: 'b does things', name: 'b' },
      tool('a'),
    ];
    expect(isUnchanged(diffCatalogues(before, after))).toBe(true);
  });

  it('names added, removed and changed tools', () => {
    const before = [tool('keep'), tool('drop'), tool('edit')];
    const after = [tool('keep'), tool('edit', { description: 'now different' }), tool('new')];
    expect(diffCatalogues(before, after)).toEqual({ added: ['new'], removed: ['drop'], changed: ['edit'] });
  });

  it('sees a change deep in a schema or in the annotations', () => {
    const before = [tool('a', { annotations: { readOnlyHint: true } })];
    expect(diffCatalogues(before, [tool('a', { annotations: { readOnlyHint: false } })]).changed).toEqual(['a']);
    const deeper = tool('a', { annotations: { readOnlyHint: true }, inputSchema: { type: 'object', properties: { id: { type: 'string', maxLength: 3 } } } });
    expect(diffCatalogues(before, [deeper]).changed).toEqual(['a']);
  });

  it('treats everything as added against an empty catalogue', () => {
    expect(diffCatalogues([], [tool('a'), tool('b')])).toEqual({ added: ['a', 'b'], removed: [], changed: [] });
  });
});

describe('catalogueFrom', () => {
  it('keeps what a caller needs and drops wire-only fields', () => {
    const listed = {
      name: 'get_user_profile',
      description: 'Fetches a profile',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      annotations: { title: 'User profile', readOnlyHint: true },
      _meta: { 'x-internal': 1 },
      icons: [],
    } as unknown as Tool;
    expect(toCatalogueTool(listed)).toEqual({
      name: 'get_user_profile',
      title: 'User profile',
      description: 'Fetches a profile',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      annotations: { title: 'User profile', readOnlyHint: true },
    });
  });

  it('gives a tool without description an empty one and keeps the first of a name listed twice', () => {
    const listed = [
      { name: 'a', inputSchema: { type: 'object' } },
      { name: 'a', description: 'again', inputSchema: { type: 'object' } },
    ] as Tool[];
    expect(catalogueFrom(listed)).toEqual([{ name: 'a', description: '', inputSchema: { type: 'object' } }]);
  });
});

describe('stableStringify', () => {
  it('sorts keys at every level and skips undefined values', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"e":1,"f":2}]},"b":1}');
  });
});
