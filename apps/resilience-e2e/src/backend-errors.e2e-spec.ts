import http from 'node:http';
import { getJson, postJson, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';
import { jsonRpcOf, modernToolCall, post } from './support/load';
import { eventually } from './support/process-stats';

describe('a backend that answers 500, then recovers', () => {
  let backend: RunningServer;
  let server: RunningServer;
  let client: RunningServer;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, BACKEND_API_TIMEOUT: '1', READINESS_CHECK_BACKEND: 'true' });
    client = await startClient({ MCP_SERVER_URL: server.baseUrl });
    await waitForLog(client, /^Discovered 1 tools from/);
  });

  afterAll(async () => {
    agent.destroy();
    await client?.stop();
    await server?.stop();
    await backend?.stop();
  });

  const direct = async (userId: string) => {
    const { headers, body } = modernToolCall(userId);
    const answer = await post(`${server.baseUrl}/mcp`, body, headers, agent, `direct-${userId}`);
    return { status: answer.status, message: jsonRpcOf(answer.text) };
  };
  const viaClient = (userId: string) => postJson(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: userId });
  const readiness = async () => (await getJson(`${server.baseUrl}/health/ready`)).status;

  it('fails calls cleanly, naming HTTP 500, turns unready, and recovers with readiness', async () => {
    expect(await readiness()).toBe(200);
    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'error', statusCode: 500 });

    for (const userId of ['123', '456', '789']) {
      const answer = await direct(userId);
      expect(answer.status).toBe(200);
      expect(answer.message.result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'backend API failed with HTTP 500' }] });
      const facade = await viaClient(userId);
      expect(facade.status).toBe(422);
      expect(facade.json).toMatchObject({ error: 'tool_error', message: 'backend API failed with HTTP 500' });
      expect(facade.text).not.toMatch(/\bat .*\.js:\d+/);
    }
    // Probes share one backend check, reused for READINESS_CACHE_TTL (1 s): readiness turns within that.
    await eventually(async () => (await readiness()) === 503, 3_000);
    const ready = await getJson(`${server.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json.error['backend-api']).toMatchObject({ status: 'down', reason: 'answered HTTP 500' });
    expect((await getJson(`${server.baseUrl}/health/live`)).status).toBe(200);
    // The client itself stays ready: the server answers it, the tool fails.
    expect((await getJson(`${client.baseUrl}/health/ready`)).status).toBe(200);

    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'ok' });
    // Up again once the cached outcome (READINESS_CACHE_TTL) has passed.
    await eventually(async () => (await readiness()) === 200, 3_000);
    for (const userId of ['123', '456', '789']) {
      const answer = await direct(userId);
      expect(answer.message.result?.isError).toBeFalsy();
      expect(answer.message.result?.structuredContent).toMatchObject({ id: userId });
      const facade = await viaClient(userId);
      expect(facade.status).toBe(200);
      expect(facade.json.structuredContent).toMatchObject({ id: userId });
    }
  });
});
