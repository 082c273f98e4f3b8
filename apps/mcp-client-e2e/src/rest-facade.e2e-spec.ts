import { getJson, postJson, RunningServer } from '@mcp-platform/testing';
import { FacadeStack, startFacadeStack } from './support/facade-stack';

const PROFILE_123 = { id: '123', name: 'Ada Lovelace', email: 'ada@example.com', department: 'Engineering' };

describe('the REST facade over the real mcp-server', () => {
  let stack: FacadeStack;
  let backend: RunningServer;
  let server: RunningServer;
  let client: RunningServer;
  const call = (tool: string, body: unknown, headers: Record<string, string> = {}) => postJson(`${client.baseUrl}/tools/${tool}/call`, body, headers);

  beforeAll(async () => {
    stack = await startFacadeStack();
    ({ backend, server, client } = stack);
  });

  afterEach(() => stack.clearFaults());

  afterAll(() => stack?.stop());

  it('logs "Discovered 1 tools from <url>/mcp" once, with the tool names as a field', () => {
    const line = client.lines.map((text) => JSON.parse(text)).filter((parsed) => /^Discovered/.test(parsed.msg));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ level: 30, msg: `Discovered 1 tools from ${server.baseUrl}/mcp`, tools: ['get_user_profile'] });
  });

  it('lists get_user_profile with its schemas, fresh', async () => {
    const response = await getJson(`${client.baseUrl}/tools`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ server: `${server.baseUrl}/mcp`, stale: false, protocolVersion: '2026-07-28' });
    expect(Date.parse(response.json.discoveredAt)).toBeLessThanOrEqual(Date.now());
    expect(response.json.tools).toEqual([
      expect.objectContaining({
        name: 'get_user_profile',
        description: expect.any(String),
        inputSchema: expect.objectContaining({ type: 'object', required: ['user_id'], additionalProperties: false }),
        outputSchema: expect.objectContaining({ type: 'object' }),
        annotations: expect.objectContaining({ readOnlyHint: true }),
      }),
    ]);
  });

  it('calls get_user_profile and answers with the tool result', async () => {
    const response = await call('get_user_profile', { user_id: '123' }, { 'x-request-id': 'facade-1' });
    expect(response.status).toBe(200);
    expect(response.json.structuredContent).toEqual(PROFILE_123);
    expect(JSON.parse(response.json.content[0].text)).toEqual(PROFILE_123);
    expect(response.json.isError).toBeFalsy();
    // The request id follows the call to the server's log.
    await server.waitForLine(/"id":"facade-1"/);
  });

  it('answers an unknown tool with 404', async () => {
    const response = await call('no_such_tool', {});
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: 'unknown_tool', message: expect.stringContaining('no_such_tool') });
  });

  it('answers a body that is not an object with 400', async () => {
    for (const body of ['[1,2]', '"123"', 'null']) {
      const response = await call('get_user_profile', body);
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ error: 'invalid_arguments', details: { fields: [{ field: '', message: 'the arguments must be a JSON object' }] } });
    }
    const malformed = await call('get_user_profile', '{"user_id":');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ error: 'bad_request', message: expect.stringContaining('not valid JSON') });
  });

  it('answers arguments failing the published schema with 400 naming each field, before calling the server', async () => {
    const response = await call('get_user_profile', { user_id: '../admin', verbose: true });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_arguments');
    expect(response.json.message).toMatch(/user_id must match pattern/);
    expect(response.json.details.fields).toEqual(
      expect.arrayContaining([
        { field: 'user_id', message: expect.stringMatching(/must match pattern/) },
        { field: 'verbose', message: 'is not allowed' },
      ]),
    );
    const missing = await call('get_user_profile', {});
    expect(missing.json.details.fields).toEqual([{ field: 'user_id', message: 'is required' }]);
  });

  it("answers the tool's own error (user 999 not found) with 422 and the result content", async () => {
    const response = await call('get_user_profile', { user_id: '999' });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      error: 'tool_error',
      message: 'user 999 not found',
      details: { content: [{ type: 'text', text: 'user 999 not found' }] },
    });
  });

  it('answers 504 when the tool takes longer than TOOL_CALL_TIMEOUT', async () => {
    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'stall', delayMs: 3_000 });
    const started = performance.now();
    const response = await call('get_user_profile', { user_id: '123' });
    const elapsedMs = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.json).toEqual({ error: 'tool_timeout', message: 'get_user_profile did not answer within 1 s' });
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(2_500);
  });

  it('is ready while the server answers, and counts calls per tool and outcome', async () => {
    const ready = await getJson(`${client.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json.info['mcp-server']).toMatchObject({ status: 'up', url: `${server.baseUrl}/mcp`, tools: 1 });
    expect((await getJson(`${client.baseUrl}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${client.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/mcp_client_tool_calls_total\{tool="get_user_profile",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/mcp_client_tool_calls_total\{tool="get_user_profile",outcome="tool_error"\} [1-9]/);
    expect(metrics).toMatch(/mcp_client_tool_calls_total\{tool="\(unknown\)",outcome="unknown_tool"\} [1-9]/);
    expect(metrics).toMatch(/mcp_client_tool_call_duration_seconds_bucket\{le="0.05",tool="get_user_profile",outcome="ok"\}/);
    expect(metrics).toMatch(/mcp_client_discovery_refreshes_total\{outcome="changed"\} 1/);
    expect(metrics).toMatch(/mcp_client_catalogue_tools 1/);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
  });

  describe('OpenAPI', () => {
    it('documents a call path per discovered tool with its input schema as the request body', async () => {
      const document = (await getJson(`${client.baseUrl}/docs-json`)).json;
      expect(document.openapi).toBe('3.1.0');
      const operation = document.paths['/tools/get_user_profile/call'].post;
      const ref: string = operation.requestBody.content['application/json'].schema.$ref;
      const schema = document.components.schemas[ref.replace('#/components/schemas/', '')];
      const listed = (await getJson(`${client.baseUrl}/tools`)).json.tools[0];
      expect(schema).toEqual(listed.inputSchema);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '422', '503', '504']));
      expect(document.paths['/tools'].get).toBeDefined();
      expect(document.paths['/tools/{name}/call']).toBeUndefined();
    });

    it('serves Swagger UI at /docs, with its assets', async () => {
      const page = await fetch(`${client.baseUrl}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="swagger-ui" data-url="docs-json">');
      for (const asset of ['docs/swagger-ui-bundle.js', 'docs/swagger-ui.css', 'docs/swagger-initializer.js']) {
        expect(html).toContain(asset);
        expect((await fetch(`${client.baseUrl}/${asset}`)).status).toBe(200);
      }
    });
  });
});
