// The reference for get_user_profile: plain node:http, no MCP library, answering tools/call by
// doing the same backend GET the MCP server does (same path, same bearer header, a keep-alive
// agent) and wrapping the profile as the server does. BACKEND_API_URL and BENCH_BEARER_TOKEN
// come from the benchmark. With BENCH_BACKEND_CLIENT=undici the GET goes through an undici pool,
// dispatched as the MCP server dispatches it: the same server without the MCP layer.
import http from 'node:http';
import { Pool } from 'undici';

const backend = new URL(process.env.BACKEND_API_URL);
const authorization = `Bearer ${process.env.BENCH_BEARER_TOKEN}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function nodeHttpGet(path) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: backend.hostname, port: backend.port, path, agent, headers: { authorization, accept: 'application/json' } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
  });
}

const pool = new Pool(backend.origin, { connections: 256 });
const undiciHeaders = { authorization, accept: 'application/json' };

function undiciGet(path) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let status = 0;
    pool.dispatch(
      { method: 'GET', path, headers: undiciHeaders },
      {
        onRequestStart() {
          // Nothing to keep: this proxy never aborts a request.
        },
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, error) {
          reject(error);
        },
      },
    );
  });
}

const backendGet = process.env.BENCH_BACKEND_CLIENT === 'undici' ? undiciGet : nodeHttpGet;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const reply = (result) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
    };
    try {
      const { status, body } = await backendGet(`/users/${encodeURIComponent(message.params.arguments.user_id)}`);
      if (status !== 200) return reply({ content: [{ type: 'text', text: `backend API answered HTTP ${status}` }], isError: true });
      const profile = JSON.parse(body);
      reply({ content: [{ type: 'text', text: JSON.stringify(profile) }], structuredContent: profile });
    } catch (error) {
      reply({ content: [{ type: 'text', text: String(error) }], isError: true });
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`plain proxy listening on port ${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
