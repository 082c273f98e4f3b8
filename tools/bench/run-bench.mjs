#!/usr/bin/env node
// `npm run bench` (add `-- --quick` for a smoke run under a minute). Starts the production-built
// MCP server (the test build, which adds an `echo` tool), a plain node:http server answering the
// same bytes, and a server written the way the official SDK's stateless example is; pins each
// server to one core and the load generator to the other; runs interleaved rounds (A B C A B C)
// with a warm-up before each measured run and every response body checked; prints a table with
// requests/s, p50/p99, peak RSS, cold start and the ratio to plain node:http, and writes JSON.
// Flags: --quick, --rounds N, --duration S, --warmup S, --connections N, --out FILE.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
};
const quick = argv.includes('--quick');
const settings = {
  rounds: Number(flag('rounds', quick ? 1 : 3)),
  durationSeconds: Number(flag('duration', quick ? 3 : 10)),
  warmupSeconds: Number(flag('warmup', quick ? 1 : 3)),
  connections: Number(flag('connections', 50)),
};
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const SERVER_CORE = '1';
const LOAD_CORE = '0';

const MCP_SERVER_TEST_BUILD = path.join(root, 'dist/apps/mcp-server-conformance/main.js');
const legacyRequest = {
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } }),
  expect: '"text":"hello"',
};
const modernRequest = {
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'echo',
  },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: 'echo',
      arguments: { text: 'hello' },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  }),
  expect: '"text":"hello"',
};
const serverEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production' };
const variants = [
  { name: 'plain node:http (no MCP library)', script: path.join(root, 'tools/bench/servers/plain-http.mjs'), request: legacyRequest, reference: true },
  { name: 'official SDK v2, stateless per request', script: path.join(root, 'tools/bench/servers/sdk-stateless.mjs'), request: legacyRequest },
  { name: 'mcp-server, 2025-11-25', script: MCP_SERVER_TEST_BUILD, request: legacyRequest },
  { name: 'mcp-server, 2026-07-28', script: MCP_SERVER_TEST_BUILD, request: modernRequest },
];

function pinned(core, args) {
  return hasTaskset ? ['taskset', ['-c', core, process.execPath, ...args]] : [process.execPath, args];
}

function startServer(variant) {
  const [command, args] = pinned(SERVER_CORE, [variant.script]);
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH, ...serverEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const match = /listening on port (\d+)/.exec(buffered);
      if (match) {
        resolve(Number(match[1]));
        child.stdout.resume();
        buffered = '';
      }
    });
    child.once('exit', (code) => reject(new Error(`${variant.name} exited with ${code} before listening`)));
  });
  return { child, started, port };
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function callOnce(url, request) {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return response.ok && (await response.text()).includes(request.expect);
}

/** Spawn to first successful tools/call, on a fresh process. */
async function coldStart(variant) {
  const server = startServer(variant);
  try {
    const url = `http://127.0.0.1:${await server.port}/mcp`;
    for (let attempt = 0; attempt < 2_000; attempt += 1) {
      if (await callOnce(url, variant.request).catch(() => false)) return performance.now() - server.started;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`${variant.name}: no successful call within the cold-start window`);
  } finally {
    await stopServer(server.child);
  }
}

function peakRssMb(pid) {
  // The server runs under taskset, which execs node: same pid.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function runLoad(url, requestFile, seconds) {
  const [command, args] = pinned(LOAD_CORE, [path.join(root, 'tools/bench/load.mjs'), url, requestFile, String(seconds), String(settings.connections)]);
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`load generator failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
  console.log(`MCP tools/call benchmark: ${settings.rounds} round(s) of ${settings.durationSeconds} s (+${settings.warmupSeconds} s warm-up), ${settings.connections} connections, ` +
    `servers ${hasTaskset ? `pinned to core ${SERVER_CORE}, load on core ${LOAD_CORE}` : 'NOT pinned (no taskset)'}, Node ${process.version}, ${os.cpus().length} cores`);

  const results = variants.map((variant) => ({ variant, runs: [], coldStartMs: 0, peakRssMb: 0 }));
  for (const entry of results) entry.coldStartMs = await coldStart(entry.variant);

  const running = [];
  try {
    for (const entry of results) {
      const server = startServer(entry.variant);
      running.push(server);
      entry.server = server;
      entry.url = `http://127.0.0.1:${await server.port}/mcp`;
      entry.requestFile = path.join(work, `${results.indexOf(entry)}.json`);
      writeFileSync(entry.requestFile, JSON.stringify(entry.variant.request));
      if (!(await callOnce(entry.url, entry.variant.request))) throw new Error(`${entry.variant.name} does not answer the benchmark call correctly`);
    }
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const entry of results) {
        runLoad(entry.url, entry.requestFile, settings.warmupSeconds);
        const run = runLoad(entry.url, entry.requestFile, settings.durationSeconds);
        entry.runs.push(run);
        process.stdout.write(`  round ${round}: ${entry.variant.name}: ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99} ms, errors ${run.errors}\n`);
      }
    }
    for (const entry of results) entry.peakRssMb = peakRssMb(entry.server.child.pid);
  } finally {
    await Promise.all(running.map((server) => stopServer(server.child)));
  }

  const reference = results.find((entry) => entry.variant.reference);
  const referenceRps = median(reference.runs.map((run) => run.requestsPerSecond));
  const rows = results.map((entry) => {
    const requestsPerSecond = median(entry.runs.map((run) => run.requestsPerSecond));
    return {
      server: entry.variant.name,
      requestsPerSecond: Math.round(requestsPerSecond),
      ratioToPlain: requestsPerSecond / referenceRps,
      p50Ms: median(entry.runs.map((run) => run.p50)),
      p99Ms: median(entry.runs.map((run) => run.p99)),
      errors: entry.runs.reduce((sum, run) => sum + run.errors, 0),
      peakRssMb: Math.round(entry.peakRssMb),
      coldStartMs: Math.round(entry.coldStartMs),
    };
  });

  console.log('\n| server | requests/s | ratio to plain | p50 | p99 | errors | peak RSS | cold start |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(`| ${row.server} | ${row.requestsPerSecond.toLocaleString('en')} | ${row.ratioToPlain.toFixed(2)} | ${row.p50Ms} ms | ${row.p99Ms} ms | ${row.errors} | ${row.peakRssMb} MB | ${row.coldStartMs} ms |`);
  }

  const ours = rows.filter((row) => row.server.startsWith('mcp-server'));
  const eraGap = Math.abs(ours[0].requestsPerSecond - ours[1].requestsPerSecond) / Math.max(ours[0].requestsPerSecond, ours[1].requestsPerSecond);
  const targets = [
    ...ours.map((row) => [`${row.server}: >= 40% of plain node:http`, row.ratioToPlain >= 0.4]),
    ...ours.map((row) => [`${row.server}: p99 < 15 ms`, row.p99Ms < 15]),
    ...ours.map((row) => [`${row.server}: zero errors`, row.errors === 0]),
    ...ours.map((row) => [`${row.server}: peak RSS < 150 MB`, row.peakRssMb < 150]),
    ...ours.map((row) => [`${row.server}: cold start < 600 ms`, row.coldStartMs < 600]),
    [`both protocol eras within 10% (gap ${(eraGap * 100).toFixed(1)}%)`, eraGap <= 0.1],
  ];
  console.log('\nTargets:');
  for (const [label, met] of targets) console.log(`  ${met ? 'met    ' : 'MISSED '} ${label}`);

  const out = flag('out', path.join(root, 'tmp/bench', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ settings, node: process.version, pinned: hasTaskset, rows, targets: targets.map(([label, met]) => ({ label, met })) }, null, 2));
  console.log(`\nJSON: ${path.relative(root, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
