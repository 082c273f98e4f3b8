// get_user_profile through the sample backend with a cached Entra token, against a plain node:http
// proxy doing the same backend GET with the same bearer header. The MCP server's backend client is
// undici, about half the CPU of node:http's per GET, so the table also has the plain proxy with an
// undici client: against that one, the ratio is the cost of the MCP layer alone. The MCP server gets its token
// through real workload identity from the Entra emulator (one token, then its cache). The backend
// does not verify tokens here: its JWT check would make it, not the server, the bottleneck, and it
// runs on the load generator's core. Interleaved rounds, the server under test on its own core.
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { workloadIdentityEnv } from '../../dev/workload-identity-env.mjs';
import { callOnce, cpuSeconds, LOAD_CORE, median, root, runLoad, SERVER_CORE, startHttpServer, startProcess, stopProcess } from '../lib/processes.mjs';
import { legacyToolCall, userProfile } from '../lib/requests.mjs';
import { mcpServerProcess, serverEnv } from './echo.mjs';

const BACKEND_SCOPE = 'api://mcp-sample-backend/.default';

async function startLocalAzure(stopList) {
  const emulator = startProcess({
    script: path.join(root, 'tools/dev/entra-emulator/src/main.mjs'),
    env: { PORT: '0', HOST: '127.0.0.1', STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-entra-')) },
    core: LOAD_CORE,
    readyPattern: /^(\{"msg":"entra-emulator listening".*\})$/m,
  });
  stopList.push(emulator);
  const entra = JSON.parse((await emulator.ready)[1]);
  const backend = await startHttpServer({ script: path.join(root, 'tools/dev/sample-backend/src/main.mjs'), env: { PORT: '0', HOST: '127.0.0.1', LOG_REQUESTS: 'false' }, core: LOAD_CORE, readyPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)/ });
  stopList.push(backend);
  return { entra, backendUrl: backend.url };
}

/** A real token for the backend, minted by the emulator for the server's identity: the proxy sends the same header. */
function backendToken(entra) {
  const body = JSON.stringify({ clientId: entra.clientId, resource: BACKEND_SCOPE.replace('/.default', '') });
  return new Promise((resolve, reject) => {
    // The emulator serves HTTPS with its own CA.
    const request = https.request(`${entra.authorityHost}/_control/access-token`, { method: 'POST', ca: readFileSync(entra.caCertPath), headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`the Entra emulator would not mint a token: HTTP ${response.statusCode}`));
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).token);
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function backendSection(settings) {
  const running = [];
  try {
    const { entra, backendUrl } = await startLocalAzure(running);
    const request = legacyToolCall('get_user_profile', userProfile.args, userProfile.expect);
    const proxyEnv = { PORT: '0', HOST: '127.0.0.1', BACKEND_API_URL: backendUrl, BENCH_BEARER_TOKEN: await backendToken(entra) };
    const variants = [
      { name: 'plain node:http proxy (no MCP library)', reference: true, script: path.join(root, 'tools/bench/servers/plain-proxy.mjs'), env: proxyEnv },
      { name: 'plain proxy, undici backend client', script: path.join(root, 'tools/bench/servers/plain-proxy.mjs'), env: { ...proxyEnv, BENCH_BACKEND_CLIENT: 'undici' } },
      {
        name: 'mcp-server, get_user_profile',
        ...mcpServerProcess({ ...serverEnv, BACKEND_API_URL: backendUrl, BACKEND_API_TIMEOUT: '10', AZURE_SCOPES: BACKEND_SCOPE, ...workloadIdentityEnv(entra, 'mcp-server') }),
      },
    ];
    for (const variant of variants) {
      variant.server = await startHttpServer({ script: variant.script, nodeFlags: variant.nodeFlags, env: variant.env, core: SERVER_CORE });
      running.push(variant.server);
      variant.url = `${variant.server.url}/mcp`;
      if (!(await callOnce(variant.url, request))) throw new Error(`${variant.name} does not answer get_user_profile correctly`);
      variant.runs = [];
    }
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const variant of variants) {
        const load = { url: variant.url, request, workDir: settings.workDir, connections: settings.connections };
        runLoad({ ...load, seconds: settings.warmupSeconds });
        const cpuBefore = cpuSeconds(variant.server.child.pid);
        const run = runLoad({ ...load, seconds: settings.durationSeconds });
        // Whether the server's core was the limit: if not, the ratio says more about the backend.
        run.serverCpu = (cpuSeconds(variant.server.child.pid) - cpuBefore) / settings.durationSeconds;
        variant.runs.push(run);
        settings.progress(`backend round ${round}: ${variant.name}: ${Math.round(run.requestsPerSecond)} req/s, server core ${Math.round(run.serverCpu * 100)}% busy, errors ${run.errors}`);
      }
    }
    const referenceRps = median(variants.find((variant) => variant.reference).runs.map((run) => run.requestsPerSecond));
    const rows = variants.map((variant) => {
      const requestsPerSecond = median(variant.runs.map((run) => run.requestsPerSecond));
      return {
        server: variant.name,
        requestsPerSecond: Math.round(requestsPerSecond),
        ratio: requestsPerSecond / referenceRps,
        p50Ms: median(variant.runs.map((run) => run.p50)),
        p99Ms: median(variant.runs.map((run) => run.p99)),
        errors: variant.runs.reduce((sum, run) => sum + run.errors, 0),
        serverCorePercent: Math.round(median(variant.runs.map((run) => run.serverCpu)) * 100),
      };
    });
    const ours = rows.at(-1);
    return {
      title: `tools/call of get_user_profile through the sample backend, ${settings.connections} connections`,
      columns: [
        ['server', 'server'],
        ['requestsPerSecond', 'requests/s', (value) => value.toLocaleString('en')],
        ['ratio', 'ratio to plain proxy', (value) => value.toFixed(2)],
        ['p50Ms', 'p50', (value) => `${value} ms`],
        ['p99Ms', 'p99', (value) => `${value} ms`],
        ['errors', 'errors'],
        ['serverCorePercent', 'server core busy', (value) => `${value}%`],
      ],
      rows,
      targets: [
        [`${ours.server}: >= 60% of the plain proxy`, ours.ratio >= 0.6],
        [`${ours.server}: zero errors`, ours.errors === 0],
      ],
    };
  } finally {
    await Promise.all(running.map((entry) => stopProcess(entry.child)));
  }
}
