// The headline table: tools/call of a trivial `echo` tool, 50 connections, the server on one core.
// The MCP server (both protocol eras) against plain node:http and the SDK's stateless example,
// in interleaved rounds (A B C D A B C D ...), with cold start and peak RSS per server.
import path from 'node:path';
import { callOnce, memoryMb, median, root, runLoad, SERVER_CORE, startHttpServer, stopProcess } from '../lib/processes.mjs';
import { productionRuntime, warmCodeCache } from '../lib/production-runtime.mjs';
import { echo, legacyToolCall, modernToolCall } from '../lib/requests.mjs';

export const MCP_SERVER_TEST_BUILD = path.join(root, 'dist/apps/mcp-server-conformance/main.js');
export const serverEnv = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'production' };
/**
 * The test build of the server, started with its image's node flags and runtime environment
 * (plus a CPU profile per process under BENCH_PROFILE_DIR, which `--profile DIR` sets).
 */
export function mcpServerProcess(env = serverEnv) {
  const runtime = productionRuntime('mcp-server');
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  return { script: MCP_SERVER_TEST_BUILD, nodeFlags: [...runtime.nodeFlags, ...profile], env: { ...runtime.env, ...env }, codeCache: runtime.codeCache };
}

const variants = [
  { name: 'plain node:http (no MCP library)', script: path.join(root, 'tools/bench/servers/plain-http.mjs'), request: legacyToolCall('echo', echo.args, echo.expect), reference: true },
  { name: 'official SDK v2, stateless per request', script: path.join(root, 'tools/bench/servers/sdk-stateless.mjs'), request: legacyToolCall('echo', echo.args, echo.expect) },
  // Both eras against one server process, as in production: two processes differ by a few % in
  // how V8 happens to optimise them, which would swamp the difference between the eras.
  { name: 'mcp-server, 2025-11-25', ...mcpServerProcess(), request: legacyToolCall('echo', echo.args, echo.expect), ours: true, process: 'mcp-server' },
  { name: 'mcp-server, 2026-07-28', ...mcpServerProcess(), request: modernToolCall('echo', echo.args, echo.expect), ours: true, process: 'mcp-server' },
];

/** Spawn to first successful tools/call, on a fresh process. */
async function coldStart(variant) {
  const started = performance.now();
  const server = await startHttpServer({ script: variant.script, nodeFlags: variant.nodeFlags, env: variant.env ?? serverEnv, core: SERVER_CORE });
  try {
    for (let attempt = 0; attempt < 2_000; attempt += 1) {
      if (await callOnce(`${server.url}/mcp`, variant.request).catch(() => false)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`${variant.name}: no successful call within the cold-start window`);
  } finally {
    await stopProcess(server.child);
  }
}

export async function echoSection(settings) {
  const results = variants.map((variant) => ({ variant, runs: [], coldStarts: [] }));
  // Both eras' variants run the one server build: its cache is made once.
  const builds = new Map(results.map(({ variant }) => [variant.script, variant]));
  for (const variant of builds.values()) await warmCodeCache({ ...variant, core: SERVER_CORE });
  // Cold starts interleaved too, the median of three per server.
  for (let attempt = 0; attempt < 3; attempt += 1) for (const entry of results) entry.coldStarts.push(await coldStart(entry.variant));

  const running = [];
  try {
    const shared = new Map();
    for (const entry of results) {
      entry.server = shared.get(entry.variant.process);
      if (!entry.server) {
        entry.server = await startHttpServer({ script: entry.variant.script, nodeFlags: entry.variant.nodeFlags, env: entry.variant.env ?? serverEnv, core: SERVER_CORE });
        running.push(entry.server);
        if (entry.variant.process) shared.set(entry.variant.process, entry.server);
      }
      entry.url = `${entry.server.url}/mcp`;
      if (!(await callOnce(entry.url, entry.variant.request))) throw new Error(`${entry.variant.name} does not answer the benchmark call correctly`);
    }
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const entry of inRoundOrder(results, round)) {
        const load = { url: entry.url, request: entry.variant.request, workDir: settings.workDir, connections: settings.connections };
        runLoad({ ...load, seconds: settings.warmupSeconds });
        const run = runLoad({ ...load, seconds: settings.durationSeconds });
        entry.runs.push(run);
        settings.progress(`echo round ${round}: ${entry.variant.name}: ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99} ms, errors ${run.errors}`);
      }
    }
    for (const entry of results) entry.peakRssMb = memoryMb(entry.server.child.pid, 'VmHWM');
  } finally {
    await Promise.all(running.map((server) => stopProcess(server.child)));
  }

  const referenceRps = median(results.find((entry) => entry.variant.reference).runs.map((run) => run.requestsPerSecond));
  const rows = results.map((entry) => {
    const requestsPerSecond = median(entry.runs.map((run) => run.requestsPerSecond));
    return {
      server: entry.variant.name,
      ours: Boolean(entry.variant.ours),
      requestsPerSecond: Math.round(requestsPerSecond),
      ratioToPlain: requestsPerSecond / referenceRps,
      p50Ms: median(entry.runs.map((run) => run.p50)),
      p99Ms: median(entry.runs.map((run) => run.p99)),
      errors: entry.runs.reduce((sum, run) => sum + run.errors, 0),
      peakRssMb: Math.round(entry.peakRssMb),
      coldStartMs: Math.round(median(entry.coldStarts)),
    };
  });

  const ours = rows.filter((row) => row.ours);
  const eraRuns = results.filter((entry) => entry.variant.ours).map((entry) => entry.runs.map((run) => run.requestsPerSecond));
  const roundGaps = eraRuns[0].map((legacy, round) => signedGap(legacy, eraRuns[1][round]));
  // Signed per round, so that noise in either direction cancels: a median of distances counts
  // every round's noise as gap (two eras of one speed under ±5% noise would be ~5% "apart").
  const eraGap = Math.abs(median(roundGaps));
  const gapOfMedians = gap(ours[0].requestsPerSecond, ours[1].requestsPerSecond);
  return {
    title: `tools/call of echo, ${settings.connections} connections, each server on one core`,
    columns: [
      ['server', 'server'],
      ['requestsPerSecond', 'requests/s', (value) => value.toLocaleString('en')],
      ['ratioToPlain', 'ratio to plain', (value) => value.toFixed(2)],
      ['p50Ms', 'p50', (value) => `${value} ms`],
      ['p99Ms', 'p99', (value) => `${value} ms`],
      ['errors', 'errors'],
      ['peakRssMb', 'peak RSS', (value) => `${value} MB`],
      ['coldStartMs', 'cold start', (value) => `${value.toLocaleString('en')} ms`],
    ],
    rows,
    targets: [
      ...ours.map((row) => [`${row.server}: >= 40% of plain node:http`, row.ratioToPlain >= 0.4]),
      ...ours.map((row) => [`${row.server}: p99 < 15 ms`, row.p99Ms < 15]),
      ...ours.map((row) => [`${row.server}: zero errors`, row.errors === 0]),
      ...ours.map((row) => [`${row.server}: peak RSS < 150 MB`, row.peakRssMb < 150]),
      ...ours.map((row) => [`${row.server}: cold start < 600 ms`, row.coldStartMs < 600]),
      [
        `both protocol eras within 10% (median of the rounds' gaps ${percent(eraGap)}; rounds ${roundGaps.map(signedPercent).join(', ')}, + when 2026-07-28 was slower; gap of the medians ${percent(gapOfMedians)})`,
        eraGap <= 0.1,
      ],
    ],
  };
}

/** How far apart two rates are, as a share of the larger. */
function gap(a, b) {
  return Math.abs(signedGap(a, b));
}

/** How much slower the second rate is than the first, as a share of the larger: negative when it is faster. */
function signedGap(first, second) {
  return (first - second) / Math.max(first, second);
}

function percent(share) {
  return `${(share * 100).toFixed(1)}%`;
}

function signedPercent(share) {
  return `${share > 0 ? '+' : ''}${percent(share)}`;
}

/**
 * The two eras run back to back in every round, against one process, in alternating order: the
 * machine's speed drifts by several % from one round to the next (measured: one era's rate moved
 * 20,000-22,900 req/s between rounds), so each round's pair is compared within the round, and
 * alternating cancels whatever running first or second does to a rate.
 */
function inRoundOrder(results, round) {
  if (round % 2 === 1) return results;
  const eras = results.filter((entry) => entry.variant.ours).reverse();
  return results.map((entry) => (entry.variant.ours ? eras.shift() : entry));
}
