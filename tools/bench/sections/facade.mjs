// What the client facade (POST /tools/{name}/call on mcp-client) costs over calling the server's
// /mcp directly: the same echo call, interleaved rounds, pinned as the other sections are: the
// process under test alone on the server core, the load generator on the other with whatever the
// process under test calls (here the MCP server behind the facade; in the backend section, the
// sample backend). Direct: the MCP server on the server core. Facade: the facade on the server
// core, its MCP server beside the load generator. Unpinned, three busy processes on two cores left
// the ratio to the scheduler (the plain facade alone swung 35-59% of the direct rate between runs).
import path from 'node:path';
import { callOnce, LOAD_CORE, median, root, runLoad, SERVER_CORE, startHttpServer, stopProcess } from '../lib/processes.mjs';
import { productionRuntime } from '../lib/production-runtime.mjs';
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
      { name: 'mcp-server /mcp, direct', url: `${server.url}/mcp`, request: legacyToolCall('echo', echo.args, echo.expect), runs: [] },
      { name: 'mcp-client facade, POST /tools/echo/call', url: `${client.url}/tools/echo/call`, request: facadeCall(echo.args, echo.expect), runs: [] },
      { name: 'plain node:http facade (no MCP library), same call', url: `${plainFacade.url}/tools/echo/call`, request: facadeCall(echo.args, echo.expect), runs: [] },
    ];
    for (const variant of variants) await untilServing(variant.url, variant.request);
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const variant of variants) {
        const load = { url: variant.url, request: variant.request, workDir: settings.workDir, connections: settings.connections };
        runLoad({ ...load, seconds: settings.warmupSeconds });
        const run = runLoad({ ...load, seconds: settings.durationSeconds });
        variant.runs.push(run);
        settings.progress(`facade round ${round}: ${variant.name}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50} ms, errors ${run.errors}`);
      }
    }
    const rows = variants.map((variant) => ({
      path: variant.name,
      requestsPerSecond: Math.round(median(variant.runs.map((run) => run.requestsPerSecond))),
      p50Ms: median(variant.runs.map((run) => run.p50)),
      p99Ms: median(variant.runs.map((run) => run.p99)),
      errors: variant.runs.reduce((sum, run) => sum + run.errors, 0),
    }));
    const [direct, facade] = rows;
    const addedP50 = Math.round((facade.p50Ms - direct.p50Ms) * 100) / 100;
    const keptRps = facade.requestsPerSecond / direct.requestsPerSecond;
    for (const row of rows) row.ofDirect = `${Math.round((row.requestsPerSecond / direct.requestsPerSecond) * 100)}%`;
    return {
      title: `the client facade against the server directly, ${settings.connections} connections, each on the server core`,
      columns: [
        ['path', 'path'],
        ['requestsPerSecond', 'requests/s', (value) => value.toLocaleString('en')],
        ['ofDirect', 'of direct'],
        ['p50Ms', 'p50', (value) => `${value} ms`],
        ['p99Ms', 'p99', (value) => `${value} ms`],
        ['errors', 'errors'],
      ],
      rows,
      targets: [
        [`facade adds < 2 ms at p50 (adds ${addedP50} ms)`, addedP50 < 2],
        [`facade keeps >= 50% of direct requests/s (keeps ${Math.round(keptRps * 100)}%)`, keptRps >= 0.5],
        ['facade: zero errors', facade.errors === 0],
      ],
    };
  } finally {
    await Promise.all(running.map((entry) => stopProcess(entry.child)));
  }
}
