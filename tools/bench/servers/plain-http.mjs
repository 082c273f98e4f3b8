// The ceiling: plain node:http answering a JSON-RPC tools/call of `echo` with the same bytes an
// MCP server sends, with no MCP library at all. PORT=0 picks a free port.
import http from 'node:http';

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    let message;
    try {
      message = JSON.parse(body);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
    }
    const text = message?.params?.arguments?.text ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: { content: [{ type: 'text', text }] }, jsonrpc: '2.0', id: message.id }));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on port ${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
