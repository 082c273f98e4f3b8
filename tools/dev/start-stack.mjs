#!/usr/bin/env node
// `npm start`: the whole local stack with no Azure account. Builds the apps, starts the sample
// backend and the MCP server wired as in AKS, prints where they are and a curl to try. Ctrl-C
// stops everything. Flags: --no-build (use what dist/ holds). Ports: MCP_SERVER_PORT (8000),
// SAMPLE_BACKEND_PORT (8081).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverPort = Number(process.env.MCP_SERVER_PORT ?? 8000);
const backendPort = Number(process.env.SAMPLE_BACKEND_PORT ?? 8081);
const children = [];

function log(message) {
  process.stdout.write(`[stack] ${message}\n`);
}

function start(name, script, env) {
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping the stack`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, 10_000);
  force.unref();
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null))).then(() =>
    process.exit(code),
  );
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

async function waitUntilReady(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

if (!process.argv.includes('--no-build')) {
  log('building mcp-server ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'mcp-server', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

start('sample-backend', 'tools/dev/sample-backend/src/main.mjs', { PORT: String(backendPort), HOST: '127.0.0.1' });
start('mcp-server', 'dist/apps/mcp-server/main.js', {
  PORT: String(serverPort),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
  BACKEND_API_URL: `http://127.0.0.1:${backendPort}`,
  BACKEND_API_TIMEOUT: '10',
  READINESS_CHECK_BACKEND: 'true',
});

const server = `http://localhost:${serverPort}`;
if (await waitUntilReady(`${server}/health/ready`)) {
  log(`ready:
  MCP endpoint (Streamable HTTP)  ${server}/mcp
  health                          ${server}/health/live  ${server}/health/ready
  metrics                         ${server}/metrics
  sample backend                  http://localhost:${backendPort}/users/123
Try:
  curl -X POST ${server}/_mcp/messages -H "Content-Type: application/json" -d '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}'
Ctrl-C stops everything.`);
} else if (!stopping) {
  log('the stack did not become ready within 30 s');
  stop(1);
}
