import { postJson, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';

/** The sample backend, the real mcp-server in front of it and the client over that, as the facade suites use them. */
export interface FacadeStack {
  backend: RunningServer;
  server: RunningServer;
  client: RunningServer;
  /** Puts the sample backend back to answering normally. */
  clearFaults(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startFacadeStack(): Promise<FacadeStack> {
  const backend = await startSampleBackend();
  // The server waits for the backend longer than the client waits for the server, so a stall is the client's 504.
  // debug: successful calls are in the access log only at debug, and a test follows a request id there.
  const server = await startServer({ BACKEND_API_URL: backend.baseUrl, BACKEND_API_TIMEOUT: '5', LOG_LEVEL: 'debug' });
  const client = await startClient({ MCP_SERVER_URL: server.baseUrl, TOOL_CALL_TIMEOUT: '1' });
  await waitForLog(client, /^Discovered \d+ tools from /);
  return {
    backend,
    server,
    client,
    clearFaults: () => postJson(`${backend.baseUrl}/_control/faults`, { mode: 'ok' }),
    stop: async () => {
      // The client first: it holds a subscriptions/listen stream open on the server.
      await client.stop();
      await server.stop();
      await backend.stop();
    },
  };
}
