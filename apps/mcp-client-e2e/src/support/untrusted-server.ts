import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';

/** A tool as the untrusted server publishes it: any schema, unchecked by the server. */
export interface PublishedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface UntrustedServerOptions {
  tools: PublishedTool[];
  /** The text `big` answers with is this many bytes long. */
  bigResultBytes?: number;
}

/**
 * An MCP server the client must not trust, on the SDK v2 (`createMcpHandler`, 2026-07-28), in the
 * test process: it publishes whatever tools the test gives it. `echo` answers with its arguments
 * as JSON text (and `{ ok: true }` as structured content where it has an output schema), `big` with `bigResultBytes` of text, and `slow` never answers: its HTTP requests
 * are counted while open and when the client ends them before an answer.
 */
export async function startUntrustedServer(options: UntrustedServerOptions) {
  const slowOpen = new Set<http.ServerResponse>();
  let slowAborted = 0;
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((check) => check());
  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'untrusted-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler('tools/list', () => ({ tools: options.tools }));
    server.setRequestHandler('tools/call', async (request) => {
      if (request.params.name === 'slow') await new Promise(() => undefined);
      if (request.params.name === 'big') return { content: [{ type: 'text', text: 'x'.repeat(options.bigResultBytes ?? 0) }] };
      const content = [{ type: 'text' as const, text: JSON.stringify(request.params.arguments ?? {}) }];
      const published = options.tools.find((tool) => tool.name === request.params.name);
      return published?.outputSchema ? { content, structuredContent: { ok: true } } : { content };
    });
    return server;
  });
  const node = toNodeHandler(handler);
  const server = http.createServer((req, res) => {
    // The client's SDK and direct path both name the tool in `mcp-name` on 2026-07-28.
    if (req.headers['mcp-name'] === 'slow') {
      slowOpen.add(res);
      res.on('close', () => {
        slowOpen.delete(res);
        if (!res.writableFinished) slowAborted += 1;
        changed();
      });
      changed();
    }
    void node(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  /** Resolves once `condition` holds (checked now and after each change of the slow calls). */
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!condition()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return {
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    get slowOpen() {
      return slowOpen.size;
    },
    get slowAborted() {
      return slowAborted;
    },
    until,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type UntrustedServer = Awaited<ReturnType<typeof startUntrustedServer>>;

/** A tool taking one string `text`, with extra schema for `text` merged in. */
export function textTool(name: string, text: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): PublishedTool {
  return {
    name,
    description: `Echoes its arguments (${name})`,
    inputSchema: { type: 'object', properties: { text: { type: 'string', ...text } }, required: ['text'], ...extra },
  };
}
