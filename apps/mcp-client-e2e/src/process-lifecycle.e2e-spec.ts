import { connect } from 'node:net';
import { CLIENT_MAIN, postJson, startClient, startNodeProcess, waitForLog } from '@mcp-platform/testing';
import { startV2Server } from './support/sdk-servers';

describe('configuration at start-up', () => {
  // Concurrent: each process loads the whole bundle (about a second) before it reads its config.
  it.concurrent.each([
    ['MCP_SERVER_URL', 'mcp-server:8000', /^Invalid configuration: MCP_SERVER_URL must be an http\(s\) URL$/],
    ['PORT', 'eighty', /PORT must be an integer/],
    ['LOG_LEVEL', 'LOUD', /LOG_LEVEL must be one of/],
    ['TOOL_CALL_TIMEOUT', '0', /TOOL_CALL_TIMEOUT must be a positive number of seconds/],
    ['DISCOVERY_INTERVAL', 'often', /DISCOVERY_INTERVAL must be a positive number of seconds/],
    ['AZURE_AUTHORITY_HOST', 'http://login.example', /AZURE_AUTHORITY_HOST must be an https URL/],
  ])('stops with one line naming %s when it is %p', async (name: string, value: string, message: RegExp) => {
    const proc = startNodeProcess(CLIENT_MAIN, { PORT: '0', [name]: value });
    expect(await proc.exited).toBe(1);
    expect(proc.lines).toHaveLength(1);
    expect(proc.lines[0]).toMatch(message);
  });

  it('accepts what the chart renders from the guide, and finds /mcp under the base URL', async () => {
    const client = await startClient({ LOG_LEVEL: 'INFO', MCP_SERVER_URL: 'http://127.0.0.1:9' });
    try {
      const catalogue = await (await fetch(`${client.baseUrl}/tools`)).json();
      expect(catalogue).toMatchObject({ server: 'http://127.0.0.1:9/mcp', stale: true, tools: [] });
    } finally {
      await client.stop();
    }
  });
});

describe('SIGTERM', () => {
  it('lets the call in flight finish, refuses new connections, closes the MCP connection and exits 0', async () => {
    const fixture = await startV2Server();
    const client = await startClient({ MCP_SERVER_URL: fixture.baseUrl });
    try {
      await waitForLog(client, /^Discovered 2 tools/);
      const inFlight = postJson(`${client.baseUrl}/tools/slow/call`, { text: 'finished' });
      const release = await fixture.nextSlowCall();

      client.child.kill('SIGTERM');
      await client.waitForLine(/SIGTERM received/);
      await expect(fetch(`${client.baseUrl}/health/live`)).rejects.toThrow();
      release();

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(response.json.content).toEqual([{ type: 'text', text: 'finished' }]);
      expect(await client.exited).toBe(0);
      await waitForLog(client, 'drained; exiting');
    } finally {
      await client.stop();
      await fixture.close();
    }
  });
});

describe('SIGTERM with a request whose body stalls', () => {
  // SHUTDOWN_TIMEOUT far above the client grace: a drain that waited for the body would end in exit 1.
  it.each(['/tools/echo/call', '/health/live'])('%s: cuts the half-sent request after the client grace and exits 0, not at the deadline', async (path) => {
    const client = await startClient({ MCP_SERVER_URL: 'http://127.0.0.1:9', SHUTDOWN_TIMEOUT: '20' });
    const socket = connect(client.port, '127.0.0.1');
    socket.on('error', () => undefined);
    try {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // Expect: 100-continue: the client answers it once the request is dispatched, so the test knows the request is in.
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`);
      await new Promise((resolve) => socket.once('data', resolve));
      socket.write('{"text":');
      client.child.kill('SIGTERM');
      expect(await client.exited).toBe(0);
      await closed;
      await waitForLog(client, 'drained; exiting');
    } finally {
      socket.destroy();
      await client.stop();
    }
  }, 30_000);
});
