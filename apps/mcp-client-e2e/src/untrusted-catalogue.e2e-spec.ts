import { getJson, postJson, RunningServer, startClient, waitForLog } from '@mcp-platform/testing';
import { PublishedTool, startUntrustedServer, textTool, UntrustedServer } from './support/untrusted-server';

const CATALOGUE_SIZE = 3_000;
// Generous: a health probe waits behind whatever blocks the event loop; the kubelet's probe timeout is 1 s.
const HEALTH_BOUND_MS = 2_000;
// The chart's memory limit is 512Mi; discovery must leave most of it to calls.
const RSS_BOUND_BYTES = 384 * 1024 * 1024;

/** A tool with the schema features catalogues use: patterns, formats, enums, nesting, an output schema. */
function catalogueTool(index: number): PublishedTool {
  return {
    name: `tool_${index}`,
    description: `Tool number ${index} of a large catalogue`,
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', pattern: `^[a-z]{1,${(index % 50) + 1}}$` },
        email: { type: 'string', format: 'email' },
        kind: { enum: ['a', 'b', 'c'] },
        address: { type: 'object', properties: { city: { type: 'string', minLength: 1 }, zip: { type: 'string', pattern: '^\\d{5}$' } }, additionalProperties: false },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
      },
      required: ['id'],
      additionalProperties: false,
    },
    outputSchema: { type: 'object', properties: { ok: { type: 'boolean' }, at: { type: 'string', format: 'date-time' } } },
  };
}

async function rssBytes(client: RunningServer): Promise<number> {
  const text = await (await fetch(`${client.baseUrl}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
}

describe('a large catalogue from an untrusted MCP server', () => {
  let server: UntrustedServer;
  let client: RunningServer;

  beforeAll(async () => {
    server = await startUntrustedServer({ tools: [...Array.from({ length: CATALOGUE_SIZE }, (_, index) => catalogueTool(index)), textTool('echo')] });
  });

  afterAll(async () => {
    await client?.stop();
    await server?.close();
  });

  it(`discovers ${CATALOGUE_SIZE} tools while health keeps answering, memory bounded, schemas compiled on first call`, async () => {
    client = await startClient({ MCP_SERVER_URL: server.baseUrl });
    const started = performance.now();
    let discovered = false;
    const discovery = waitForLog(client, /^Discovered \d+ tools from /, { timeoutMs: 120_000 }).then((line) => {
      discovered = true;
      return line;
    });
    const healthWaits: number[] = [];
    while (!discovered) {
      const asked = performance.now();
      const response = await fetch(`${client.baseUrl}/health/live`);
      expect(response.status).toBe(200);
      healthWaits.push(performance.now() - asked);
    }
    const line = await discovery;
    const discoveryMs = performance.now() - started;
    expect(line.msg).toBe(`Discovered ${CATALOGUE_SIZE + 1} tools from ${server.mcpUrl}`);

    const rssAfterDiscovery = await rssBytes(client);
    const docsAsked = performance.now();
    const docs = await getJson(`${client.baseUrl}/docs-json`);
    const docsMs = performance.now() - docsAsked;
    expect(Object.keys(docs.json.paths).filter((path) => path.endsWith('/call'))).toHaveLength(CATALOGUE_SIZE + 1);
    // First calls compile their tool's schema: the checks hold.
    const valid = await postJson(`${client.baseUrl}/tools/tool_7/call`, { id: 'abc', address: { zip: '12345' } });
    expect(valid.status).toBe(200);
    const invalid = await postJson(`${client.baseUrl}/tools/tool_7/call`, { id: 'ABC', address: { zip: '1234' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.details.fields).toEqual(
      expect.arrayContaining([
        { field: 'id', message: expect.stringMatching(/must match pattern/) },
        { field: 'address.zip', message: expect.stringMatching(/must match pattern/) },
      ]),
    );
    const rss = await rssBytes(client);
    process.stdout.write(
      `${CATALOGUE_SIZE}-tool discovery: ${Math.round(discoveryMs)} ms to "Discovered", ${healthWaits.length} health probes, slowest ${Math.round(Math.max(...healthWaits))} ms, ` +
        `RSS ${Math.round(rssAfterDiscovery / 1048576)} MiB; first /docs-json ${Math.round(docsMs)} ms; RSS after docs and calls ${Math.round(rss / 1048576)} MiB\n`,
    );
    expect(Math.max(...healthWaits)).toBeLessThan(HEALTH_BOUND_MS);
    expect(rss).toBeLessThan(RSS_BOUND_BYTES);
  }, 180_000);
});
