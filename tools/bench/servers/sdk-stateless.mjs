// The official SDK v2 the way its stateless example is written: a fresh McpServer with the tool
// (zod schema) per request behind createMcpHandler, on plain node:http. PORT=0 picks a free port.
import http from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const handler = toNodeHandler(
  createMcpHandler(() => {
    const server = new McpServer({ name: 'sdk-stateless', version: '1.0.0' });
    server.registerTool('echo', { description: 'Returns its text unchanged.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    return server;
  }),
);

const server = http.createServer((req, res) => void handler(req, res));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on port ${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
