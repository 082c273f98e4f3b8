import { getJson, postJson, RunningEntraEmulator, RunningServer, startClient, startEntraEmulator, startServer, startTokenCheckingBackend } from '@mcp-platform/testing';

const JWT_PATTERN = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/;

describe('client to server with inbound auth on, tokens by workload identity through the emulated Entra', () => {
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    backend = await startTokenCheckingBackend(emulator);
    server = await startServer({
      ...emulator.workloadIdentityEnv('mcp-server'),
      AZURE_SCOPES: 'api://mcp-sample-backend/.default',
      BACKEND_API_URL: backend.baseUrl,
      MCP_AUTH_ENABLED: 'true',
      MCP_AUTH_AUDIENCES: 'api://mcp-server',
      MCP_AUTH_REQUIRED_ROLES: 'Tools.Call',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
    await emulator?.stop();
  });

  it('discovers and calls tools with a valid token for the server on every request', async () => {
    const client = await startClient({
      ...emulator.workloadIdentityEnv('mcp-client'),
      MCP_SERVER_URL: server.baseUrl,
      MCP_SERVER_SCOPE: 'api://mcp-server/.default',
    });
    try {
      await client.waitForLine(/Discovered 1 tools from/);
      const call = await postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' });
      expect(call.status).toBe(200);
      expect(call.json.structuredContent).toMatchObject({ id: '123', name: 'Ada Lovelace' });
      expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);
      // The server refuses anyone without a token, so the calls above carried one.
      expect((await postJson(`${server.baseUrl}/_mcp/messages`, { method: 'tools/list' })).status).toBe(401);
      expect([...client.lines, ...server.lines].join('\n')).not.toMatch(JWT_PATTERN);
    } finally {
      await client.stop();
    }
  });

  it('is unready naming the AADSTS reason when its federated credential does not match', async () => {
    // The client pod's token projected for a service account the federated credentials do not name.
    const tokenFile = `${emulator.stateDir}/tokens/intruder/token`;
    await emulator.control('service-account-token', { file: tokenFile, namespace: 'mcp-system', serviceAccount: 'intruder' });
    const client = await startClient({
      ...emulator.workloadIdentityEnv('mcp-client'),
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      MCP_SERVER_URL: server.baseUrl,
      MCP_SERVER_SCOPE: 'api://mcp-server/.default',
    });
    try {
      let ready = await getJson(`${client.baseUrl}/health/ready`);
      for (let attempt = 0; attempt < 50 && !/AADSTS/.test(ready.text); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await getJson(`${client.baseUrl}/health/ready`);
      }
      expect(ready.status).toBe(503);
      expect(ready.text).toMatch(/AADSTS700213/);
    } finally {
      await client.stop();
    }
  });
});
