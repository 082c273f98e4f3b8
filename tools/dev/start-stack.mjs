#!/usr/bin/env node
// `npm start`: the whole local stack with no Azure account, wired as in AKS. The Entra ID emulator
// plays Entra and the cluster's OIDC issuer (it projects a service-account token per workload, as
// the kubelet does); the MCP server gets its backend token through real workload identity; the
// sample backend checks it. Builds the apps first, prints where everything is and a curl to try;
// Ctrl-C stops everything. Flags: --no-build (use what dist/ holds). Ports: MCP_SERVER_PORT (8000),
// MCP_CLIENT_PORT (8001), SAMPLE_BACKEND_PORT (8081), ENTRA_EMULATOR_PORT (8443).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloadIdentityEnv } from './workload-identity-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverPort = Number(process.env.MCP_SERVER_PORT ?? 8000);
const clientPort = Number(process.env.MCP_CLIENT_PORT ?? 8001);
const backendPort = Number(process.env.SAMPLE_BACKEND_PORT ?? 8081);
const emulatorPort = Number(process.env.ENTRA_EMULATOR_PORT ?? 8443);
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
  child.lines = [];
  child.stdout.on('data', (chunk) => child.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
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
  log('building mcp-server and mcp-client ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'mcp-server', 'mcp-client', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

async function firstLine(child, pattern, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const line = child.lines.find((candidate) => pattern.test(candidate));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no line matching ${pattern}`);
}

const emulatorProcess = start('entra-emulator', 'tools/dev/entra-emulator/src/main.mjs', {
  PORT: String(emulatorPort),
  HOST: '127.0.0.1',
  STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'mcp-local-stack-')),
});
const entra = JSON.parse(await firstLine(emulatorProcess, /"msg":"entra-emulator listening"/));
const trustEmulator = { NODE_EXTRA_CA_CERTS: entra.caCertPath };
const workloadIdentity = (serviceAccount) => workloadIdentityEnv(entra, serviceAccount);

start('sample-backend', 'tools/dev/sample-backend/src/main.mjs', {
  PORT: String(backendPort),
  HOST: '127.0.0.1',
  BACKEND_AUTH_JWKS_URI: `${entra.authorityHost}/${entra.tenantId}/discovery/v2.0/keys`,
  BACKEND_AUTH_ISSUER: `${entra.authorityHost}/${entra.tenantId}/v2.0`,
  BACKEND_AUTH_AUDIENCE: 'api://mcp-sample-backend',
  ...trustEmulator,
});
start('mcp-server', 'dist/apps/mcp-server/main.js', {
  PORT: String(serverPort),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
  BACKEND_API_URL: `http://127.0.0.1:${backendPort}`,
  BACKEND_API_TIMEOUT: '10',
  READINESS_CHECK_BACKEND: 'true',
  AZURE_SCOPES: 'api://mcp-sample-backend/.default',
  ...workloadIdentity('mcp-server'),
});

const clientProcess = start('mcp-client', 'dist/apps/mcp-client/main.js', {
  PORT: String(clientPort),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
  MCP_SERVER_URL: `http://localhost:${serverPort}`,
  // The client's own identity (its service account's token), asking for a token to call the server.
  MCP_SERVER_SCOPE: 'api://mcp-server/.default',
  ...workloadIdentity('mcp-client'),
});

const server = `http://localhost:${serverPort}`;
const client = `http://localhost:${clientPort}`;
if ((await waitUntilReady(`${server}/health/ready`)) && (await waitUntilReady(`${client}/health/ready`))) {
  const discovered = JSON.parse((await firstLine(clientProcess, /Discovered \d+ tools from/)).replace(/^[^{]*/, ''));
  log(`ready:
  ${discovered.msg}: ${(discovered.tools ?? []).join(', ')}
  MCP endpoint (Streamable HTTP)  ${server}/mcp
  health                          ${server}/health/live  ${server}/health/ready
  metrics                         ${server}/metrics
  MCP client REST facade          ${client}/tools   (try it in a browser: ${client}/docs)
  sample backend (needs a token)  http://localhost:${backendPort}/users/123
  Entra ID emulator               ${entra.authorityHost}/${entra.tenantId}/v2.0/.well-known/openid-configuration
Try:
  curl -X POST ${server}/_mcp/messages -H "Content-Type: application/json" -d '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}'
  curl -X POST ${client}/tools/get_user_profile/call -H "Content-Type: application/json" -d '{"user_id":"123"}'
Ctrl-C stops everything.`);
} else if (!stopping) {
  log('the stack did not become ready within 30 s');
  stop(1);
}
