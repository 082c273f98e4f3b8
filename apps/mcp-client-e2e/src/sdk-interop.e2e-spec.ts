import { getJson, logLines, postJson, RunningServer, startClient, waitForLog } from '@mcp-platform/testing';
import { FixtureServer, startV1EchoServer, startV1PagedServer, startV2Server } from './support/sdk-servers';

// A periodic refresh far beyond the test: what the tests see comes from list_changed or ttlMs.
const NO_PERIODIC_REFRESH = { DISCOVERY_INTERVAL: '300' };

async function catalogueOf(client: RunningServer) {
  return (await getJson(`${client.baseUrl}/tools`)).json;
}

describe('MCP servers built directly on the SDK', () => {
  const running: Array<{ stop(): Promise<unknown> }> = [];
  const fixtures: FixtureServer[] = [];

  async function clientFor(fixture: FixtureServer, env: Record<string, string> = {}) {
    const client = await startClient({ MCP_SERVER_URL: fixture.baseUrl, ...NO_PERIODIC_REFRESH, ...env });
    running.push(client);
    return client;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((proc) => proc.stop()));
    await Promise.all(fixtures.splice(0).map((fixture) => fixture.close()));
  });

  it('discovers and calls the echo tool of an SDK v1 McpServer that speaks only the 2025 revisions', async () => {
    const fixture = await startV1EchoServer();
    fixtures.push(fixture);
    const client = await clientFor(fixture);
    const discovered = await waitForLog(client, `Discovered 1 tools from ${fixture.mcpUrl}`);
    expect(discovered).toMatchObject({ tools: ['echo'], protocolVersion: '2025-11-25' });

    const catalogue = await catalogueOf(client);
    expect(catalogue).toMatchObject({ stale: false, protocolVersion: '2025-11-25' });
    expect(catalogue.tools).toEqual([
      expect.objectContaining({ name: 'echo', description: 'Echoes the text back', inputSchema: expect.objectContaining({ required: ['text'] }) }),
    ]);

    const result = await postJson(`${client.baseUrl}/tools/echo/call`, { text: 'hello' });
    expect(result.status).toBe(200);
    expect(result.json.content).toEqual([{ type: 'text', text: 'hello' }]);
    // Its zod schema, as published, checks the arguments before they leave the client.
    const invalid = await postJson(`${client.baseUrl}/tools/echo/call`, { text: 42 });
    expect(invalid.status).toBe(400);
    expect(invalid.json.details.fields).toEqual([{ field: 'text', message: 'must be string' }]);
  });

  it('follows nextCursor through every page, and picks up a tool added at runtime from notifications/tools/list_changed (2025 revisions)', async () => {
    const fixture = await startV1PagedServer({ tools: 60, pageSize: 7 });
    fixtures.push(fixture);
    const client = await clientFor(fixture);
    const discovered = await waitForLog(client, `Discovered 60 tools from ${fixture.mcpUrl}`);
    expect((discovered.tools as string[]).slice(0, 2)).toEqual(['tool_000', 'tool_001']);
    expect(new Set(discovered.tools as string[]).size).toBe(60);

    await fixture.addTool('added_at_runtime');
    const changed = await waitForLog(client, `Discovered 61 tools from ${fixture.mcpUrl}`);
    expect(changed).toMatchObject({ added: ['added_at_runtime'], removed: [], changed: [] });
    expect((await catalogueOf(client)).tools.map((tool: { name: string }) => tool.name)).toContain('added_at_runtime');
    expect((await postJson(`${client.baseUrl}/tools/added_at_runtime/call`, { text: 'new' })).json.content).toEqual([{ type: 'text', text: 'new' }]);
  });

  it('picks up a tool added at runtime from its subscriptions/listen stream (2026-07-28)', async () => {
    const fixture = await startV2Server();
    fixtures.push(fixture);
    const client = await clientFor(fixture);
    expect(await waitForLog(client, `Discovered 2 tools from ${fixture.mcpUrl}`)).toMatchObject({ protocolVersion: '2026-07-28' });

    fixture.addTool('announced', true);
    expect(await waitForLog(client, `Discovered 3 tools from ${fixture.mcpUrl}`)).toMatchObject({ added: ['announced'] });
    expect((await catalogueOf(client)).tools.map((tool: { name: string }) => tool.name)).toEqual(['echo', 'slow', 'announced']);
  });

  it("lists again when the result's ttlMs runs out, which finds a tool added without notice", async () => {
    const fixture = await startV2Server({ ttlMs: 500 });
    fixtures.push(fixture);
    const client = await clientFor(fixture);
    await waitForLog(client, `Discovered 2 tools from ${fixture.mcpUrl}`);

    fixture.addTool('unannounced', false);
    const started = Date.now();
    await waitForLog(client, `Discovered 3 tools from ${fixture.mcpUrl}`, { timeoutMs: 5_000 });
    // The client never refreshes more often than once a second, whatever the ttlMs.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(logLines(client, /^Discovered/)).toHaveLength(2);
  });
});
