import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { rawRequest, RunningServer, startSampleBackend, startServer } from '@mcp-platform/testing';

const PROFILE_123 = { id: '123', name: 'Ada Lovelace', email: 'ada@example.com', department: 'Engineering' };

interface ClientUnderTest {
  label: string;
  expectedVersion: string;
  connect(url: URL): Promise<{
    listTools(): Promise<{ tools: Array<{ name: string; inputSchema: object }> }>;
    callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<any>;
    close(): Promise<void>;
  }>;
}

const clients: ClientUnderTest[] = [
  {
    label: 'SDK v2 client negotiating 2026-07-28',
    expectedVersion: '2026-07-28',
    connect: async (url) => {
      const client = new ClientV2({ name: 'e2e-v2-modern', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(new TransportV2(url));
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      return client;
    },
  },
  {
    label: 'SDK v2 client on the 2025 handshake',
    expectedVersion: '2025-11-25',
    connect: async (url) => {
      const client = new ClientV2({ name: 'e2e-v2-legacy', version: '1.0.0' });
      await client.connect(new TransportV2(url));
      expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      return client;
    },
  },
  {
    label: 'SDK v1 client (@modelcontextprotocol/sdk)',
    expectedVersion: '2025-11-25',
    connect: async (url) => {
      const client = new ClientV1({ name: 'e2e-v1', version: '1.0.0' });
      const transport = new TransportV1(url);
      await client.connect(transport);
      expect(transport.protocolVersion).toBe('2025-11-25');
      return client as any;
    },
  },
];

describe('MCP endpoint with real SDK clients', () => {
  let backend: RunningServer;
  let server: RunningServer;
  let mcpUrl: URL;

  beforeAll(async () => {
    backend = await startSampleBackend();
    server = await startServer({ BACKEND_API_URL: backend.baseUrl });
    mcpUrl = new URL('/mcp', server.baseUrl);
  });

  afterAll(async () => {
    await server?.stop();
    await backend?.stop();
  });

  describe.each(clients)('$label', (clientUnderTest) => {
    it('lists get_user_profile with its input schema', async () => {
      const client = await clientUnderTest.connect(mcpUrl);
      try {
        const { tools } = await client.listTools();
        const tool = tools.find((candidate) => candidate.name === 'get_user_profile');
        expect(tool?.inputSchema).toMatchObject({ type: 'object', required: ['user_id'], additionalProperties: false });
      } finally {
        await client.close();
      }
    });

    it('calls get_user_profile and gets the profile as structured content', async () => {
      const client = await clientUnderTest.connect(mcpUrl);
      try {
        const result = await client.callTool({ name: 'get_user_profile', arguments: { user_id: '123' } });
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toEqual(PROFILE_123);
        expect(JSON.parse(result.content[0].text)).toEqual(PROFILE_123);
      } finally {
        await client.close();
      }
    });

    it('reports a missing user as a tool error', async () => {
      const client = await clientUnderTest.connect(mcpUrl);
      try {
        const result = await client.callTool({ name: 'get_user_profile', arguments: { user_id: '999' } });
        expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'user 999 not found' }] });
      } finally {
        await client.close();
      }
    });

    it('names each failing field of invalid arguments', async () => {
      const client = await clientUnderTest.connect(mcpUrl);
      try {
        const result = await client.callTool({ name: 'get_user_profile', arguments: { user_id: '../admin', verbose: true } });
        expect(result.isError).toBe(true);
        expect(result.content[0].text).toMatch(/user_id: user_id may contain only/);
        expect(result.content[0].text).toMatch(/verbose: property verbose should not exist/);
      } finally {
        await client.close();
      }
    });

    it('answers an unknown tool with JSON-RPC -32602', async () => {
      const client = await clientUnderTest.connect(mcpUrl);
      try {
        await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
      } finally {
        await client.close();
      }
    });
  });

  describe('DNS-rebinding protection', () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    };

    async function post(headers: Record<string, string>) {
      return fetch(mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    }

    it('refuses a foreign Origin with 403', async () => {
      const response = await post({ origin: 'https://evil.example' });
      expect(response.status).toBe(403);
    });

    it('refuses a foreign Host with 403', async () => {
      const response = await rawRequest(mcpUrl.href, {
        method: 'POST',
        headers: { host: 'evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(initialize),
      });
      expect(response.status).toBe(403);
    });

    it('accepts a localhost Origin', async () => {
      const response = await post({ origin: `http://localhost:${server.port}` });
      expect(response.status).toBe(200);
    });
  });
});
