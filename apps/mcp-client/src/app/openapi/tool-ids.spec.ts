import { toolIds } from './tool-ids';

// Swagger UI's own normalisation of an operationId for DOM ids and deep links.
const asSwaggerUiSeesIt = (id: string) => id.replace(/\W/gi, '_');

describe('toolIds', () => {
  it('keeps a name made of [A-Za-z0-9_] as it is', () => {
    expect([...toolIds(['get_user_profile', 'Search2']).values()]).toEqual(['get_user_profile', 'Search2']);
  });

  it('gives names that normalise alike different ids, also as Swagger UI reads them', () => {
    const names = ['a_b', 'a-b', 'a.b', 'a b', 'a/b', 'A_B', 'a_b_2'];
    const ids = [...toolIds(names).values()];
    expect(new Set(ids.map((id) => asSwaggerUiSeesIt(id).toLowerCase())).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^\w+$/);
  });

  it('keeps an id stable while other tools come and go', () => {
    expect(toolIds(['a-b']).get('a-b')).toBe(toolIds(['x', 'a_b', 'a-b']).get('a-b'));
  });
});
