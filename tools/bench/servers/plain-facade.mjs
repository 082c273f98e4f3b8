// The reference for the client facade: plain node:http, no MCP library, answering
// POST /tools/{name}/call by POSTing the same 2026-07-28 tools/call the client sends to the MCP
// server's /mcp on a keep-alive agent and answering with the result, as the facade does.
// It is what one extra HTTP hop costs on this machine, whoever makes it. MCP_SERVER_URL comes
// from the benchmark.
import http from 'node:http';

const server = new URL(process.env.MCP_SERVER_URL);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'plain-facade', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
let nextId = 0;

function callTool(name, args) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: (nextId += 1), method: 'tools/call', params: { name, arguments: args, _meta: meta } });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': name,
  };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: server.hostname, port: server.port, path: '/mcp', method: 'POST', agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const facade = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const name = decodeURIComponent(req.url.split('/')[2]);
    try {
      const answer = await callTool(name, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      // The facade answers with the result as the SDK returns it: without 2026-07-28's resultType.
      const result = { ...answer.result };
      delete result.resultType;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'upstream_error', message: String(error) }));
    }
  });
});
facade.keepAliveTimeout = 65_000;
facade.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`plain facade listening on port ${facade.address().port}\n`);
});
process.once('SIGTERM', () => facade.close(() => process.exit(0)));
