// What the client facade (POST /tools/{name}/call on mcp-client) costs over calling the server's
// /mcp directly: the same echo call, interleaved rounds, pinned as the other sections are: the
// process under test alone on the server core, the load generator on the other with whatever the
// process under test calls (here the MCP server behind the facade; in the backend section, the
// sample backend). Direct: the MCP server on the server core. Facade: the facade on the server
// core, its MCP server beside the load generator. Unpinned, three busy processes on two cores left
// the ratio to the scheduler (the plain facade alone swung 35-59% of the direct rate between runs).
//
// Two kinds of rounds. Saturated (autocannon, 50 connections each waiting for its answer): the
// requests/s each path carries, and the CPU a call of the process on the server core, the limit.
// Then every path at one offered rate, half of what the facade carried (vegeta, constant rate, at
// most 50 in flight, its warm-up not counted): the latency the facade adds to the same traffic. At
// saturation a closed loop's p50 is its connections over its rate (Little's law), so the p50s there
// differ by 50/facade - 50/direct whatever the hop costs: the rate ratio again, scaled by how fast
// the machine is that day (on 2026-12-06 the plain node:http facade "added" 2.9 ms there).
import path from 'node:path';
import { callOnce, cpuSeconds, LOAD_CORE, median, memoryMb, root, runLoad, SERVER_CORE, startHttpServer, stopProcess } from '../lib/processes.mjs';
import { productionRuntime } from '../lib/production-runtime.mjs';
import { runAtRate } from '../lib/rate-load.mjs';
import { echo, facadeCall, legacyToolCall } from '../lib/requests.mjs';
import { mcpServerProcess, serverEnv } from './echo.mjs';

const MCP_CLIENT_BUILD = path.join(root, 'dist/apps/mcp-client/main.js');
const PLAIN_FACADE = path.join(root, 'tools/bench/servers/plain-facade.mjs');

/** The client logs "Discovered N tools" once it has the catalogue; calls before that get 503. */
async function untilServing(url, request) {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await callOnce(url, request).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} did not answer the benchmark call correctly within 10 s`);
}

export async function facadeSection(settings) {
  const running = [];
  try {
    const server = await startHttpServer({ ...mcpServerProcess(), core: SERVER_CORE });
    running.push(server);
    const upstream = await startHttpServer({ ...mcpServerProcess(), core: LOAD_CORE });
    running.push(upstream);
    const clientRuntime = productionRuntime('mcp-client');
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const client = await startHttpServer({
      script: MCP_CLIENT_BUILD,
      nodeFlags: [...clientRuntime.nodeFlags, ...profile],
      env: { ...clientRuntime.env, ...serverEnv, MCP_SERVER_URL: upstream.url },
      core: SERVER_CORE,
    });
    running.push(client);
    const plainFacade = await startHttpServer({ script: PLAIN_FACADE, env: { PORT: '0', HOST: '127.0.0.1', MCP_SERVER_URL: upstream.url }, core: SERVER_CORE });
    running.push(plainFacade);
    const variants = [
      { name: 'mcp-server /mcp, direct', url: `${server.url}/mcp`, request: legacyToolCall('echo', echo.args, echo.expect), pid: server.child.pid, runs: [] },
      { name: 'mcp-client facade, POST /tools/echo/call', url: `${client.url}/tools/echo/call`, request: facadeCall(echo.args, echo.expect), pid: client.child.pid, runs: [] },
      { name: 'plain node:http facade (no MCP library), same call', url: `${plainFacade.url}/tools/echo/call`, request: facadeCall(echo.args, echo.expect), pid: plainFacade.child.pid, runs: [] },
    ];
    for (const variant of variants) await untilServing(variant.url, variant.request);
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const variant of variants) {
        const load = { url: variant.url, request: variant.request, workDir: settings.workDir, connections: settings.connections };
        runLoad({ ...load, seconds: settings.warmupSeconds });
        const cpuBefore = cpuSeconds(variant.pid);
        const run = runLoad({ ...load, seconds: settings.durationSeconds });
        run.cpuMicrosPerCall = ((cpuSeconds(variant.pid) - cpuBefore) * 1e6) / run.totalRequests;
        variant.runs.push(run);
        settings.progress(`facade round ${round}: ${variant.name}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50} ms, errors ${run.errors}`);
      }
    }
    const rate = Math.max(100, Math.round(median(variants[1].runs.map((run) => run.requestsPerSecond)) / 200) * 100);
    for (const variant of variants) variant.atRate = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const variant of variants) {
        const run = runAtRate({
          url: variant.url,
          request: variant.request,
          rate,
          warmupSeconds: settings.warmupSeconds,
          seconds: settings.durationSeconds,
          workDir: settings.workDir,
          connections: settings.connections,
        });
        variant.atRate.push(run);
        settings.progress(`facade round ${round} at ${rate} req/s: ${variant.name}: ${Math.round(run.requestsPerSecond)} req/s answered, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}`);
      }
    }
    const rows = variants.map((variant) => ({
      path: variant.name,
      requestsPerSecond: Math.round(median(variant.runs.map((run) => run.requestsPerSecond))),
      p50Ms: median(variant.runs.map((run) => run.p50)),
      p99Ms: median(variant.runs.map((run) => run.p99)),
      cpuMicrosPerCall: Math.round(median(variant.runs.map((run) => run.cpuMicrosPerCall))),
      atRateP50Ms: median(variant.atRate.map((run) => run.p50)),
      atRateP99Ms: median(variant.atRate.map((run) => run.p99)),
      atRateCarried: variant.atRate.every((run) => run.requestsPerSecond >= 0.97 * rate),
      errors: [...variant.runs, ...variant.atRate].reduce((sum, run) => sum + run.errors, 0),
      peakRssMb: Math.round(memoryMb(variant.pid)),
    }));
    const [direct, facade] = rows;
    const added = (key) => Math.round((facade[key] - direct[key]) * 100) / 100;
    const addedAtRate = added('atRateP50Ms');
    const keptRps = facade.requestsPerSecond / direct.requestsPerSecond;
    for (const row of rows) {
      row.ofDirect = `${Math.round((row.requestsPerSecond / direct.requestsPerSecond) * 100)}%`;
      row.p50 = withAdded(row.p50Ms, row === direct ? undefined : row.p50Ms - direct.p50Ms);
      row.atRateP50 = withAdded(row.atRateP50Ms, row === direct ? undefined : row.atRateP50Ms - direct.atRateP50Ms);
    }
    return {
      title: `the client facade against the server directly, ${settings.connections} connections, each on the server core; saturated, then each at ${rate} req/s`,
      columns: [
        ['path', 'path'],
        ['requestsPerSecond', 'requests/s', (value) => value.toLocaleString('en')],
        ['ofDirect', 'of direct'],
        ['p50', 'p50 saturated'],
        ['p99Ms', 'p99 saturated', (value) => `${value} ms`],
        ['cpuMicrosPerCall', 'CPU a call', (value) => `${value} µs`],
        ['atRateP50', `p50 at ${rate}/s`],
        ['atRateP99Ms', `p99 at ${rate}/s`, (value) => `${value} ms`],
        ['errors', 'errors'],
        ['peakRssMb', 'peak RSS', (value) => `${value} MB`],
      ],
      rows,
      targets: [
        [`facade adds < 2 ms at p50, both paths at ${rate} req/s (adds ${addedAtRate} ms; saturated, ${added('p50Ms')} ms)`, addedAtRate < 2 && direct.atRateCarried && facade.atRateCarried],
        [`facade keeps >= 50% of direct requests/s (keeps ${Math.round(keptRps * 100)}%)`, keptRps >= 0.5],
        ['facade: zero errors', facade.errors === 0],
      ],
    };
  } finally {
    await Promise.all(running.map((entry) => stopProcess(entry.child)));
  }
}

/** `2.41 ms (+0.23)`: a p50 and what it adds to the direct path's. */
function withAdded(ms, addedMs) {
  return addedMs === undefined ? `${ms} ms` : `${ms} ms (${addedMs >= 0 ? '+' : ''}${Math.round(addedMs * 100) / 100})`;
}
