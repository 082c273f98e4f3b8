import { getJson, postJson, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';

const PASSWORD = 'cl13nt-pa55-in-url';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.query-token';

describe('a password in MCP_SERVER_URL never leaves the client', () => {
  let backend: RunningServer;
  let server: RunningServer;
  let client: RunningServer;
  const answers: string[] = [];

  async function get(path: string) {
    const response = await getJson(`${client.baseUrl}${path}`);
    answers.push(JSON.stringify(response.json));
    return response;
  }

  async function call(tool: string) {
    const response = await postJson(`${client.baseUrl}/tools/${tool}/call`, { user_id: '123' });
    answers.push(JSON.stringify(response.json));
    return response;
  }

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl });
    const shown = `http://127.0.0.1:${server.port}/mcp`;
    client = await startClient({ MCP_SERVER_URL: `http://operator:${PASSWORD}@127.0.0.1:${server.port}`, DISCOVERY_INTERVAL: '1', LOG_LEVEL: 'debug' });
    expect((await waitForLog(client, /^Discovered \d+ tools from /)).msg).toBe(`Discovered 1 tools from ${shown}`);
  });

  afterAll(async () => {
    await client?.stop();
    await server?.stop();
    await backend?.stop();
  });

  it('connects with the credentials and shows the URL without them in every answer', async () => {
    const shown = `http://127.0.0.1:${server.port}/mcp`;
    expect((await get('/tools')).json).toMatchObject({ server: shown });
    expect((await get('/health/ready')).json.info['mcp-server']).toMatchObject({ status: 'up', url: shown });
    expect(JSON.stringify((await get('/docs-json')).json)).toContain(shown);
    expect((await call('get_user_profile')).status).toBe(200);
    const unknown = await call('no_such_tool');
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain(shown);
  });

  it('says the server is unreachable without the password, and logs it without the password', async () => {
    await server.stop();
    const unavailable = await call('get_user_profile');
    expect(unavailable.status).toBe(503);
    expect(unavailable.json.message).toContain(`127.0.0.1:${server.port}/mcp`);
    await waitForLog(client, /unreachable/);
    // Readiness keeps up for one interval after the last answer, with the failure as its warning.
    expect(JSON.stringify((await get('/health/ready')).json)).toContain(`MCP server at http://127.0.0.1:${server.port}/mcp unreachable`);
  });

  it('logs no query string, and no answer or log line holds the password or a token', async () => {
    await get(`/tools?access_token=${TOKEN}`);
    await client.waitForLine(/"url":"\/tools\?\[redacted\]"/);
    expect(answers.join('\n')).not.toContain(PASSWORD);
    const everything = client.lines.join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(TOKEN);
  });
});
