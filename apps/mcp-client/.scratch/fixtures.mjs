import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Server as ServerV2, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { Server as ServerV1 } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema, CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const tool = (name) => ({ name, description: `tool ${name}`, inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } });
function listen(handler) { const s = http.createServer(handler); return new Promise(r => s.listen(0, '127.0.0.1', () => r(s))); }

// v2 modern fixture
const tools2 = [tool('a')];
const handler = createMcpHandler(() => { const s = new ServerV2({ name: 'f2', version: '1' }, { capabilities: { tools: { listChanged: true } } }); s.setRequestHandler('tools/list', () => ({ tools: tools2, ttlMs: 700 })); s.setRequestHandler('tools/call', (r) => ({ content: [{ type: 'text', text: r.params.arguments.text }] })); return s; });
const s2 = await listen(toNodeHandler(handler));
// v1 stateful
const tools1 = Array.from({ length: 25 }, (_, i) => tool(`t${i}`));
const sessions = new Map();
const s1 = await listen(async (req, res) => {
  const sid = req.headers['mcp-session-id'];
  let t = sid && sessions.get(sid);
  if (!t) {
    const server = new ServerV1({ name: 'f1', version: '1' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, (r) => { const start = Number(r.params?.cursor ?? 0); const page = tools1.slice(start, start + 10); return { tools: page, nextCursor: start + 10 < tools1.length ? String(start + 10) : undefined }; });
    server.setRequestHandler(CallToolRequestSchema, (r) => ({ content: [{ type: 'text', text: 'echo ' + r.params.arguments.text }] }));
    t = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => sessions.set(id, t) });
    t.server = server;
    await server.connect(t);
  }
  await t.handleRequest(req, res);
});
async function mk(port, label) {
  const c = new Client({ name: 'x', version: '1' }, { versionNegotiation: { mode: 'auto' }, listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => console.log(label, 'CHANGED at', Date.now() % 100000) } } });
  c.onerror = (e) => console.log(label, 'onerror', e.message);
  await c.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  const r = await c.listTools(undefined, { cacheMode: 'refresh' });
  console.log(label, c.getProtocolEra(), c.getNegotiatedProtocolVersion(), r.tools.length, 'ttl', r.ttlMs, 'sub', !!c.autoOpenedSubscription);
  return c;
}
const c2 = await mk(s2.address().port, 'v2');
const c1 = await mk(s1.address().port, 'v1');
console.log(await c1.callTool({ name: 't1', arguments: { text: 'hi' } }));
await new Promise(r => setTimeout(r, 300));
tools2.push(tool('b')); handler.notify.toolsChanged();
tools1.push(tool('new')); for (const t of sessions.values()) await t.server.sendToolListChanged();
await new Promise(r => setTimeout(r, 500));
console.log('after', (await c1.listTools(undefined, { cacheMode: 'refresh' })).tools.length, (await c2.listTools(undefined, { cacheMode: 'refresh' })).tools.length);
const sub = c2.autoOpenedSubscription;
sub.closed.then(r => console.log('sub closed', r));
await handler.close();
await new Promise(r => setTimeout(r, 200));
await c1.close(); await c2.close();
s1.closeAllConnections(); s1.close(); s2.closeAllConnections(); s2.close();
