// Load at a fixed offered rate, for latency comparisons at equal traffic: vegeta (an open-loop,
// constant-rate HTTP load generator) sends requests on a schedule whatever the server does, so a
// slow answer does not postpone the requests behind it. autocannon's rate option cannot stand in:
// each connection sends its share of a second back to back and then waits for the next second,
// i.e. bursts at the full 50 connections. vegeta is built from the Go module proxy into
// .tools/bin on first use (the go command is needed once), pinned below.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { percentile } from './percentile.mjs';
import { LOAD_CORE, pinnedCommand, root } from './processes.mjs';

const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';
const VEGETA_VERSION = 'v12.13.0';
const binDir = path.join(root, '.tools/bin');
const vegeta = path.join(binDir, 'vegeta');

// Where tools/scripts/helm/install-helm-tools.sh looks for it too.
const GO_FALLBACK = '/usr/local/go/bin/go';
let ready = false;

function builtVersion(go) {
  if (!existsSync(vegeta)) return undefined;
  const info = spawnSync(go, ['version', '-m', vegeta], { encoding: 'utf8' });
  return /^\s*mod\s+(\S+)\s+(\S+)/m.exec(info.stdout ?? '')?.[2];
}

/** Builds the pinned vegeta into .tools/bin unless it is there already; checked once per benchmark. */
export function ensureVegeta() {
  if (ready) return vegeta;
  const go = spawnSync('go', ['version']).status === 0 ? 'go' : GO_FALLBACK;
  ready = builtVersion(go) === VEGETA_VERSION;
  if (ready) return vegeta;
  mkdirSync(binDir, { recursive: true });
  process.stdout.write(`  building vegeta ${VEGETA_VERSION} from the Go module proxy into .tools/bin\n`);
  const install = spawnSync(go, ['install', `${VEGETA_MODULE}@${VEGETA_VERSION}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GOBIN: binDir, GOWORK: 'off', GOFLAGS: `${process.env.GOFLAGS ?? ''} -modcacherw`.trim() },
  });
  if (install.error) throw new Error(`the benchmark's latency runs need the go command to build vegeta: ${install.error.message}`);
  if (install.status !== 0) throw new Error(`go install ${VEGETA_MODULE}@${VEGETA_VERSION} failed:\n${install.stderr}`);
  ready = true;
  return vegeta;
}

/**
 * `rate` requests/s for `warmupSeconds` + `seconds` against one URL, at most `connections` in
 * flight (vegeta's workers and connections), from the load core, in one vegeta process; only the
 * requests sent after the warm-up count in the latencies and the rate. The first few hundred ms of
 * an attack open its connections and start vegeta itself on the load core, beside whatever the
 * path under test calls: 100-150 ms spikes there, for a plain node:http facade as for ours.
 * Every response body is checked (the warm-up's too) as load.mjs checks them. `requestsPerSecond`
 * is what was answered correctly: below `rate`, the path could not carry it.
 * @param {{ url: string, request: { headers: object, body: string, expect: string, method?: string }, rate: number, warmupSeconds: number, seconds: number, connections: number, workDir: string, core?: string }} options
 */
export function runAtRate({ url, request, rate, warmupSeconds, seconds, connections, workDir, core = LOAD_CORE }) {
  const binary = ensureVegeta();
  const targetFile = path.join(workDir, 'vegeta-target.json');
  const resultsFile = path.join(workDir, 'vegeta-results.bin');
  const header = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, [value]]));
  writeFileSync(targetFile, `${JSON.stringify({ method: request.method ?? 'POST', url, header, body: Buffer.from(request.body).toString('base64') })}\n`);
  const pool = String(connections);
  const [file, args] = pinnedCommand(core, binary, [
    'attack',
    '-format=json',
    `-targets=${targetFile}`,
    `-rate=${rate}/s`,
    `-duration=${warmupSeconds + seconds}s`,
    `-workers=${pool}`,
    `-max-workers=${pool}`,
    `-connections=${pool}`,
    `-max-connections=${pool}`,
    `-output=${resultsFile}`,
  ]);
  const attack = spawnSync(file, args, { cwd: root, encoding: 'utf8' });
  if (attack.status !== 0) throw new Error(`vegeta attack failed: ${attack.stderr}`);
  const encoded = spawnSync(binary, ['encode', '-to=json', resultsFile], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (encoded.status !== 0) throw new Error(`vegeta encode failed: ${encoded.stderr}`);
  const results = encoded.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
    .map((result) => ({ ...result, sentAt: Date.parse(result.timestamp) }));
  const measuredFrom = results.reduce((first, result) => Math.min(first, result.sentAt), Infinity) + warmupSeconds * 1000;
  let errors = 0;
  const latencies = [];
  for (const result of results) {
    const ok = result.code >= 200 && result.code < 300 && result.error === '' && Buffer.from(result.body ?? '', 'base64').toString('utf8').includes(request.expect);
    if (!ok) errors += 1;
    else if (result.sentAt >= measuredFrom) latencies.push(result.latency / 1e6);
  }
  const sorted = Float64Array.from(latencies).sort();
  return { requestsPerSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}
