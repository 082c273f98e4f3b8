#!/usr/bin/env node
// Soak: the whole local stack (Entra ID emulator, sample backend with bearer checks, mcp-server with
// workload identity, mcp-client) under N minutes of mixed load, with a fault injected every few
// seconds. Not part of `npm test`. Uses the built dist/ (nx run soak builds it first) and the dev
// tools; plain Node ESM. Loopback only, free ports, every process stopped by pid at the end.
//
//   node tools/soak/run-soak.mjs [--minutes 10] [--callers 16] [--out dist/soak/soak-report.json]
//
// Reports calls made, failed (during an injected fault, or outside one), p50/p99, RSS at start and
// end and open file descriptors at the end for server and client, and writes the report as JSON.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { workloadIdentityEnv } from '../dev/workload-identity-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    callers: { type: 'string', default: '16' },
    'fault-every': { type: 'string', default: '5' },
    'fault-for': { type: 'string', default: '2' },
    out: { type: 'string', default: path.join(root, 'dist/soak/soak-report.json') },
  },
});
const MINUTES = Number(args.minutes);
const CALLERS = Number(args.callers);
const FAULT_EVERY_MS = Number(args['fault-every']) * 1000;
const FAULT_FOR_MS = Number(args['fault-for']) * 1000;
// Effects of a fault outlast it a little (a call started in it, a retry backoff, a readiness interval).
const FAULT_GRACE_MS = 2_000;
const WARMUP_MS = 5_000;
const BACKEND_TIMEOUT_S = 1;
if (!(MINUTES > 0) || !(CALLERS > 0)) throw new Error('--minutes and --callers must be positive numbers');

const log = (message) => process.stdout.write(`[soak] ${message}\n`);
const children = [];

function start(name, script, env, argv = []) {
  const child = spawn(process.execPath, [path.join(root, script), ...argv], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.name = name;
  child.lines = [];
  child.waiters = [];
  const onData = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      if (child.lines.length < 5_000) child.lines.push(line);
      for (const waiter of [...child.waiters]) if (waiter.pattern.test(line)) waiter.resolve(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.exitedWith = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  children.push(child);
  return child;
}

function firstLine(child, pattern, timeoutMs = 30_000) {
  const seen = child.lines.find((line) => pattern.test(line));
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const waiter = {
      pattern,
      resolve: (line) => {
        clearTimeout(timer);
        child.waiters.splice(child.waiters.indexOf(waiter), 1);
        resolve(line);
      },
    };
    const timer = setTimeout(() => reject(new Error(`${child.name}: no line matching ${pattern}:\n${child.lines.slice(-20).join('\n')}`)), timeoutMs);
    child.waiters.push(waiter);
    void child.exitedWith.then((how) => reject(new Error(`${child.name} exited (${how}):\n${child.lines.slice(-20).join('\n')}`)));
  });
}

async function stopAll() {
  const exits = {};
  for (const child of [...children].reverse()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    exits[child.name] = await child.exitedWith;
    clearTimeout(timer);
  }
  return exits;
}

const procStats = (pid) => {
  const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  const fds = readdirSync(`/proc/${pid}/fd`);
  const sockets = fds.filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
  return { rssMb: Math.round((rss / 1024 / 1024) * 10) / 10, openFds: fds.length, openSockets: sockets };
};

function request(url, { method = 'GET', headers = {}, body, agent, ca } = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = lib.request(
      url,
      { method, agent, ca, timeout: 30_000, headers: payload === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.once('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.once('aborted', () => resolve({ status: 'aborted', text: '', ms: performance.now() - started }));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', (error) => resolve({ status: error.code ?? error.message, text: '', ms: performance.now() - started }));
    req.end(payload);
  });
}

/** What a failed call said, without its ids: the facade's message, or the tool's error text, or the JSON-RPC error. */
const causeOf = (text = '') => {
  const parsed = jsonRpcOf(text);
  const said = parsed?.message ?? parsed?.result?.content?.[0]?.text ?? parsed?.error?.message ?? text.slice(0, 120);
  return String(said).replace(/\d{4,}/g, 'N');
};

const jsonRpcOf = (text) => {
  try {
    const data = /^data: (.*)$/m.exec(text);
    return JSON.parse(data ? data[1] : text);
  } catch {
    return undefined;
  }
};

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'soak', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const mcpHeaders = (method, name) => ({
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...(name && { 'mcp-name': name }),
});
const USERS = ['123', '456', '789'];

// ---- the stack ------------------------------------------------------------------------------
let report;
try {
  for (const built of ['dist/apps/mcp-server/main.js', 'dist/apps/mcp-client/main.js']) {
    try {
      readFileSync(path.join(root, built));
    } catch {
      throw new Error(`${built} is missing: build first (npx nx run soak:soak builds it)`);
    }
  }
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-soak-'));
  const emulator = start('entra-emulator', 'tools/dev/entra-emulator/src/main.mjs', { PORT: '0', HOST: '127.0.0.1', STATE_DIR: stateDir });
  const entra = JSON.parse(await firstLine(emulator, /"msg":"entra-emulator listening"/));
  const ca = readFileSync(entra.caCertPath);
  const authority = entra.authorityHost.replace(/\/+$/, '');
  const workloadIdentity = (serviceAccount) => workloadIdentityEnv(entra, serviceAccount);

  const backendProcess = start('sample-backend', 'tools/dev/sample-backend/src/main.mjs', {
    PORT: '0',
    HOST: '127.0.0.1',
    BACKEND_AUTH_JWKS_URI: `${authority}/${entra.tenantId}/discovery/v2.0/keys`,
    BACKEND_AUTH_ISSUER: `${authority}/${entra.tenantId}/v2.0`,
    BACKEND_AUTH_AUDIENCE: 'api://mcp-sample-backend',
    NODE_EXTRA_CA_CERTS: entra.caCertPath,
  });
  const backendUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(backendProcess, /sample-backend listening on/))[1];

  const serverProcess = start('mcp-server', 'dist/apps/mcp-server/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    BACKEND_API_URL: backendUrl,
    BACKEND_API_TIMEOUT: String(BACKEND_TIMEOUT_S),
    READINESS_CHECK_BACKEND: 'true',
    AZURE_SCOPES: 'api://mcp-sample-backend/.default',
    ...workloadIdentity('mcp-server'),
  });
  const serverUrl = `http://127.0.0.1:${/listening on port (\d+)/.exec(await firstLine(serverProcess, /mcp-server listening on port \d+/))[1]}`;

  const clientProcess = start('mcp-client', 'dist/apps/mcp-client/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    MCP_SERVER_URL: serverUrl,
    MCP_SERVER_SCOPE: 'api://mcp-server/.default',
    DISCOVERY_RETRY_INITIAL_DELAY: '0.2',
    DISCOVERY_RETRY_MAX_DELAY: '1',
    ...workloadIdentity('mcp-client'),
  });
  const clientUrl = `http://127.0.0.1:${/listening on port (\d+)/.exec(await firstLine(clientProcess, /mcp-client listening on port \d+/))[1]}`;
  await firstLine(clientProcess, /Discovered \d+ tools from/);
  log(`stack up: server ${serverUrl}, client ${clientUrl}, backend ${backendUrl}, Entra ${authority}; ${MINUTES} min, ${CALLERS} callers`);

  // ---- faults ----------------------------------------------------------------------------------
  const FAULTS = [
    { name: 'backend stall', set: () => request(`${backendUrl}/_control/faults`, { method: 'POST', body: { mode: 'stall', delayMs: BACKEND_TIMEOUT_S * 1000 * 3 } }) },
    { name: 'backend 500', set: () => request(`${backendUrl}/_control/faults`, { method: 'POST', body: { mode: 'error', statusCode: 500 } }) },
    { name: 'entra throttle', set: () => request(`${authority}/_control/faults`, { method: 'POST', ca, body: { mode: 'throttle', retryAfterSeconds: 2 } }) },
    { name: 'entra down', set: () => request(`${authority}/_control/faults`, { method: 'POST', ca, body: { mode: 'down' } }) },
    { name: 'entra 503', set: () => request(`${authority}/_control/faults`, { method: 'POST', ca, body: { mode: 'error', statusCode: 503 } }) },
  ];
  const clearFaults = () =>
    Promise.all([
      request(`${backendUrl}/_control/faults`, { method: 'POST', body: { mode: 'ok' } }),
      request(`${authority}/_control/faults`, { method: 'POST', ca, body: { mode: 'ok' } }),
    ]);
  /** [from, to] in performance.now() ms, each widened by the grace period when the report classifies calls. */
  const faultWindows = [];
  const injected = {};

  // ---- load ------------------------------------------------------------------------------------
  const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS * 2 });
  const calls = [];
  let stopping = false;
  let sequence = 0;
  const KINDS = ['facade', 'facade', 'facade', 'mcp-call', 'mcp-call', 'mcp-list'];
  async function oneCall() {
    const n = sequence++;
    const kind = KINDS[n % KINDS.length];
    const user = USERS[n % USERS.length];
    const startedAt = performance.now();
    let ok = false;
    let answer;
    if (kind === 'facade') {
      answer = await request(`${clientUrl}/tools/get_user_profile/call`, { method: 'POST', agent, body: { user_id: user }, headers: { 'x-request-id': `soak-${n}` } });
      ok = answer.status === 200 && jsonRpcOf(answer.text)?.structuredContent?.id === user;
    } else if (kind === 'mcp-call') {
      answer = await request(`${serverUrl}/mcp`, {
        method: 'POST',
        agent,
        headers: mcpHeaders('tools/call', 'get_user_profile'),
        body: { jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'get_user_profile', arguments: { user_id: user }, _meta: META } },
      });
      const result = jsonRpcOf(answer.text)?.result;
      ok = answer.status === 200 && result?.isError !== true && result?.structuredContent?.id === user;
    } else {
      answer = await request(`${serverUrl}/mcp`, { method: 'POST', agent, headers: mcpHeaders('tools/list'), body: { jsonrpc: '2.0', id: n, method: 'tools/list', params: { _meta: META } } });
      ok = answer.status === 200 && Array.isArray(jsonRpcOf(answer.text)?.result?.tools);
    }
    const endedAt = performance.now();
    calls.push({ kind, startedAt, endedAt, ms: endedAt - startedAt, ok, status: answer.status, text: ok ? undefined : answer.text.slice(0, 300) });
  }
  const loops = Array.from({ length: CALLERS }, async () => {
    while (!stopping) {
      await oneCall();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  const began = performance.now();
  const endAt = began + MINUTES * 60_000;
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  const startStats = { server: procStats(serverProcess.pid), client: procStats(clientProcess.pid) };

  // Fault cycle: a fault for FAULT_FOR_MS, then none until the next FAULT_EVERY_MS tick.
  let faultIndex = 0;
  while (performance.now() + FAULT_EVERY_MS < endAt) {
    const fault = FAULTS[faultIndex++ % FAULTS.length];
    const from = performance.now();
    await fault.set();
    await new Promise((resolve) => setTimeout(resolve, FAULT_FOR_MS));
    await clearFaults();
    faultWindows.push({ name: fault.name, from, to: performance.now() });
    injected[fault.name] = (injected[fault.name] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, FAULT_EVERY_MS - FAULT_FOR_MS)));
    if (faultIndex % 12 === 0) log(`${Math.round((performance.now() - began) / 1000)} s: ${calls.length} calls, ${calls.filter((call) => !call.ok).length} failed`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, endAt - performance.now())));
  stopping = true;
  await Promise.all(loops);
  agent.destroy();
  // Let the apps notice the closed connections before counting what they hold.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const endStats = { server: procStats(serverProcess.pid), client: procStats(clientProcess.pid) };
  const metricsText = (await request(`${clientUrl}/metrics`)).text;

  // ---- report ----------------------------------------------------------------------------------
  const inFault = (call) => faultWindows.some((window) => call.endedAt >= window.from && call.startedAt <= window.to + FAULT_GRACE_MS);
  const quantile = (values, q) => {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10;
  };
  const summary = (subset) => ({
    calls: subset.length,
    failed: subset.filter((call) => !call.ok).length,
    p50Ms: quantile(subset.map((call) => call.ms), 0.5),
    p99Ms: quantile(subset.map((call) => call.ms), 0.99),
    maxMs: quantile(subset.map((call) => call.ms), 1),
  });
  const during = calls.filter(inFault);
  const outside = calls.filter((call) => !inFault(call));
  const failuresOutside = outside.filter((call) => !call.ok);
  const exits = await stopAll();
  report = {
    startedAt: new Date(Date.now() - (performance.now() - began)).toISOString(),
    minutes: MINUTES,
    callers: CALLERS,
    faultEverySeconds: FAULT_EVERY_MS / 1000,
    faultForSeconds: FAULT_FOR_MS / 1000,
    faultGraceSeconds: FAULT_GRACE_MS / 1000,
    faultsInjected: injected,
    total: summary(calls),
    duringFaults: summary(during),
    outsideFaults: summary(outside),
    byKind: Object.fromEntries([...new Set(KINDS)].map((kind) => [kind, { all: summary(calls.filter((call) => call.kind === kind)), outsideFaults: summary(outside.filter((call) => call.kind === kind)) }])),
    failuresDuringFaultsByCause: Object.entries(Object.groupBy(during.filter((call) => !call.ok), (call) => `${call.kind} ${call.status}: ${causeOf(call.text)}`))
      .map(([cause, list]) => ({ cause, count: list.length }))
      .sort((a, b) => b.count - a.count),
    failuresOutsideFaults: failuresOutside.slice(0, 20).map((call) => ({ kind: call.kind, status: call.status, atSeconds: Math.round((call.startedAt - began) / 100) / 10, text: call.text })),
    resources: {
      note: `start = after ${WARMUP_MS / 1000} s of load; end = after the load stopped and its connections closed`,
      server: { start: startStats.server, end: endStats.server, rssGrowthMb: Math.round((endStats.server.rssMb - startStats.server.rssMb) * 10) / 10 },
      client: { start: startStats.client, end: endStats.client, rssGrowthMb: Math.round((endStats.client.rssMb - startStats.client.rssMb) * 10) / 10 },
    },
    clientCallOutcomes: metricsText.split('\n').filter((line) => /^mcp_client_tool_calls_total\{/.test(line) || /_calls_total\{/.test(line)).slice(0, 20),
    exitCodes: exits,
  };
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  await stopAll();
  process.exit(1);
}

mkdirSync(path.dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
log(`report written to ${path.relative(process.cwd(), args.out)}`);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.outsideFaults.failed === 0 ? 0 : 2);
