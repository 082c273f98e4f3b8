import { getJson, RunningServer, startClient, waitForLog } from '@mcp-platform/testing';
import { FixtureServer, startV2CatalogueServer } from './support/sdk-servers';

const EVIL = 'evil.example';

/** Names that meet once normalised, schemas that point a browser at the server's choice of URL. */
const HOSTILE_TOOLS = [
  { name: 'a_b', description: 'plain', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } },
  { name: 'a-b', description: `![beacon](https://${EVIL}/pixel.png)`, inputSchema: { type: 'object', properties: { x: { $ref: `https://${EVIL}/schema.json` } } } },
  { name: 'a.b', description: 'relative', inputSchema: { type: 'object', properties: { x: { $ref: 'other.json#/x' } } } },
  {
    name: 'a b',
    description: 'rebased',
    inputSchema: {
      $id: `https://${EVIL}/base/`,
      type: 'object',
      properties: { x: { $ref: '#/$defs/X' }, y: { $ref: 'y.json' } },
      $defs: { X: { type: 'string' } },
    },
    outputSchema: { type: 'object', properties: { z: { $ref: `//${EVIL}/z` } } },
  },
];

describe('/docs and /docs-json in front of a hostile MCP server', () => {
  let fixture: FixtureServer;
  let client: RunningServer;

  beforeAll(async () => {
    fixture = await startV2CatalogueServer(HOSTILE_TOOLS);
    client = await startClient({ MCP_SERVER_URL: fixture.baseUrl, DISCOVERY_INTERVAL: '300' });
    await waitForLog(client, /^Discovered 4 tools from /);
  });

  afterAll(async () => {
    await client?.stop();
    await fixture?.close();
  });

  it('documents only local references: every $ref is #/..., no $id survives', async () => {
    const document = (await getJson(`${client.baseUrl}/docs-json`)).json;
    const refs: string[] = [];
    const ids: unknown[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        else if (key === '$id' && typeof value === 'string') ids.push(value);
        else walk(value);
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith('#/'))).toEqual([]);
    expect(ids).toEqual([]);
    // The local reference of the rebased schema still points at its definition.
    const schemas = document.components.schemas;
    const rebased = Object.entries(schemas).find(([, schema]) => (schema as { $defs?: object }).$defs !== undefined);
    expect(rebased).toBeDefined();
    expect(JSON.stringify(rebased)).not.toContain(EVIL);
  });

  it('gives every tool its own operation, unique also as Swagger UI normalises ids', async () => {
    const document = (await getJson(`${client.baseUrl}/docs-json`)).json;
    const operations = Object.entries(document.paths as Record<string, { post?: { operationId: string } }>)
      .filter(([path]) => path.endsWith('/call'))
      .map(([, item]) => item.post?.operationId as string);
    expect(operations).toHaveLength(HOSTILE_TOOLS.length);
    expect(new Set(operations.map((id) => id.replace(/\W/g, '_').toLowerCase())).size).toBe(HOSTILE_TOOLS.length);
    const argumentSchemas = Object.keys(document.components.schemas).filter((name) => name.endsWith('.arguments'));
    expect(argumentSchemas).toHaveLength(HOSTILE_TOOLS.length);
  });

  it.each(['/docs', '/docs/', '/docs-json', '/docs/swagger-initializer.js', '/docs/swagger-ui-bundle.js'])(
    'sends %s with a CSP that forbids framing and anything remote, and nosniff',
    async (path) => {
      const response = await fetch(`${client.baseUrl}${path}`);
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("default-src 'none'");
      expect(policy).not.toMatch(/https?:|\*/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('lets the page load what it uses: every script and stylesheet it names is same-origin and served', async () => {
    const html = await (await fetch(`${client.baseUrl}/docs`)).text();
    const policy = (await fetch(`${client.baseUrl}/docs`)).headers.get('content-security-policy') ?? '';
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>/);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const url = new URL(source, `${client.baseUrl}/docs`);
      expect(url.origin).toBe(client.baseUrl);
      expect([source, (await fetch(url)).status]).toEqual([source, 200]);
    }
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("connect-src 'self'");
  });
});
