// npm run cluster -- soak [--minutes 10] [--callers 16] [--fault-every 10] [--fault-for 2]
// The guide's releases, under the guide's resource limits, take mixed load through the client's
// Service from a pod of the cluster while faults are injected (backend stalls and 500s, Entra
// throttled, down and failing). It passes when no pod restarted or was OOMKilled and no call failed
// outside a fault (widened by a grace for what outlasts it). Writes dist/soak/cluster-soak-<time>.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { emulatorCaPath } from './azure-stand-ins.mjs';
import { sleep, waitFor } from './daemons.mjs';
import { readEnvFile } from './env-file.mjs';
import { writeGuideValuesFile } from './guide-values.mjs';
import { startLoad } from './in-cluster-load.mjs';
import { kubectl, tryKubectl } from './kubectl.mjs';
import { backendApiUrl, ports, program, repoRoot } from './layout.mjs';

const NS = 'mcp-system';
const FAULT_GRACE_MS = 3_000;

/** POSTs a fault to a stand-in's control API (both answer this host only). */
async function setFault(/** @type {'backend' | 'entra'} */ target, /** @type {object} */ fault) {
  const body = JSON.stringify(fault);
  if (target === 'backend') {
    const response = await fetch(`${backendApiUrl}/_control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (!response.ok) throw new Error(`setting the backend's fault: HTTP ${response.status}`);
    return;
  }
  // The emulator's own CA, for this request alone.
  await new Promise((resolve, reject) => {
    const req = https.request(`https://127.0.0.1:${ports.entraEmulator}/_control/faults`, {
      method: 'POST',
      ca: fs.readFileSync(emulatorCaPath()),
      headers: { 'content-type': 'application/json' },
      timeout: 5000,
    });
    req.on('response', (res) => {
      res.resume();
      if (res.statusCode === 200) resolve(undefined);
      else reject(new Error(`setting the emulator's fault: HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error("setting the emulator's fault: no answer in 5 s")));
    req.on('error', reject);
    req.end(body);
  });
}

const FAULTS = [
  { name: 'backend stall', apply: () => setFault('backend', { mode: 'stall', delayMs: 4_000 }) },
  { name: 'backend 500', apply: () => setFault('backend', { mode: 'error', statusCode: 500 }) },
  { name: 'entra throttle', apply: () => setFault('entra', { mode: 'throttle', retryAfterSeconds: 2 }) },
  { name: 'entra down', apply: () => setFault('entra', { mode: 'down' }) },
  { name: 'entra 503', apply: () => setFault('entra', { mode: 'error', statusCode: 503 }) },
];
const clearFaults = () => Promise.all([setFault('backend', { mode: 'ok' }), setFault('entra', { mode: 'ok' })]);

/** Memory of each pod in MiB, from the resource metrics API (`kubectl top`). */
function podMemory() {
  const top = tryKubectl(['top', 'pods', '-n', NS, '--no-headers']);
  const memory = {};
  for (const line of top.stdout.split('\n').filter(Boolean)) {
    const [name, , mem] = line.trim().split(/\s+/);
    memory[name] = Number.parseInt(mem, 10);
  }
  return memory;
}

/** Restarts and last termination reasons of every container in the namespace. */
function podHealth() {
  const pods = JSON.parse(kubectl(['get', 'pods', '-n', NS, '-o', 'json'])).items;
  return pods.map((pod) => ({
    pod: pod.metadata.name,
    restarts: (pod.status.containerStatuses ?? []).reduce((sum, status) => sum + status.restartCount, 0),
    lastTermination: (pod.status.containerStatuses ?? []).map((status) => status.lastState?.terminated?.reason).filter(Boolean),
  }));
}

/**
 * Failures in seconds that no fault window (widened by `graceMs` on both sides) touches.
 * @param {Record<string, number>} failuresBySecond epoch second -> failed calls
 * @param {Array<{ from: number, to: number }>} windows epoch milliseconds
 */
export function failuresOutsideFaults(failuresBySecond, windows, graceMs) {
  const inFault = (/** @type {number} */ second) => windows.some(({ from, to }) => second * 1000 + 999 >= from - graceMs && second * 1000 <= to + graceMs);
  let outside = 0;
  for (const [second, count] of Object.entries(failuresBySecond)) if (!inFault(Number(second))) outside += count;
  return outside;
}

const helm = (/** @type {string[]} */ args) => execFileSync(program('helm'), args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: process.env });

export async function soak(/** @type {string[]} */ argv) {
  const options = { minutes: 10, callers: 16, 'fault-every': 10, 'fault-for': 2 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || !(Number(argv[i + 1]) > 0)) throw new Error(`soak takes --minutes, --callers, --fault-every, --fault-for with positive numbers, not ${argv[i]} ${argv[i + 1] ?? ''}`);
    options[name] = Number(argv[i + 1]);
  }
  const env = readEnvFile();
  if (!env.IMAGE_TAG) throw new Error('no IMAGE_TAG in .cluster/env: run npm run cluster -- images first');
  if (tryKubectl(['get', 'namespace', NS]).ok) throw new Error(`namespace ${NS} exists: uninstall the guide's releases and delete it first`);
  process.env.KUBECONFIG = env.KUBECONFIG;
  process.env.PATH = env.PATH;
  const say = (/** @type {string} */ message) => process.stdout.write(`soak: ${message}\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-soak-'));
  const report = { options, startedAt: new Date().toISOString() };
  try {
    kubectl(['create', 'namespace', NS]);
    kubectl(['label', 'namespace', NS, 'pod-security.kubernetes.io/enforce=restricted']);
    kubectl(['create', 'configmap', 'extra-ca-bundle', '-n', NS, `--from-file=ca.crt=${env.CA_BUNDLE}`]);
    for (const app of /** @type {const} */ (['mcp-server', 'mcp-client'])) {
      helm(['install', app, `${app}/helm/${app}-chart`, '--namespace', NS, '--values', writeGuideValuesFile(app, env, dir), '--values', env.LOCAL_ENTRA_VALUES, '--wait', '--timeout', '5m']);
    }
    await waitFor('the HPA to bring the server to minReplicas', () => kubectl(['get', 'deployment', 'mcp-server', '-n', NS, '-o', 'jsonpath={.status.readyReplicas}']) === '2', { timeoutMs: 120_000, intervalMs: 1000 });
    say(`releases up; ${options.minutes} min of load from ${options.callers} callers, a fault every ${options['fault-every']} s for ${options['fault-for']} s`);

    const facade = 'http://mcp-client:8000';
    const load = await startLoad({
      namespace: NS,
      name: 'soak-load',
      image: `${env.REGISTRY}/mcp-client:${env.IMAGE_TAG}`,
      concurrency: options.callers,
      maxSeconds: options.minutes * 60 + 120,
      memoryLimit: '512Mi',
      requests: [
        ...['123', '456', '789'].map((id) => ({ method: /** @type {const} */ ('POST'), url: `${facade}/tools/get_user_profile/call`, body: JSON.stringify({ user_id: id }), expect: `"id":"${id}"` })),
        { method: 'GET', url: `${facade}/tools`, expect: 'get_user_profile' },
      ],
    });

    const windows = [];
    const peaks = {};
    const ends = Date.now() + options.minutes * 60_000;
    let next = 0;
    let lastSample = 0;
    while (Date.now() < ends) {
      const fault = FAULTS[next++ % FAULTS.length];
      await fault.apply();
      const from = Date.now();
      await sleep(options['fault-for'] * 1000);
      await clearFaults();
      windows.push({ fault: fault.name, from, to: Date.now() });
      if (Date.now() - lastSample > 30_000) {
        lastSample = Date.now();
        for (const [pod, mib] of Object.entries(podMemory())) peaks[pod] = Math.max(peaks[pod] ?? 0, mib);
      }
      await sleep(Math.max(0, options['fault-every'] - options['fault-for']) * 1000);
    }
    const summary = await load.stop();
    const outside = failuresOutsideFaults(summary.failuresBySecond, windows, FAULT_GRACE_MS);
    const health = podHealth();
    Object.assign(report, {
      calls: summary.ok + summary.failed,
      ok: summary.ok,
      failedDuringFaults: summary.failed - outside,
      failedOutsideFaults: outside,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
      faults: windows.length,
      errors: summary.errors,
      peakMemoryMiB: peaks,
      limitsMiB: { 'mcp-server': 1024, 'mcp-client': 512 },
      pods: health,
      endedAt: new Date().toISOString(),
    });
    const restarted = health.filter((pod) => pod.restarts > 0 && !pod.pod.startsWith('soak-load'));
    const verdict = outside === 0 && restarted.length === 0;
    report.passed = verdict;
    say(`${report.calls} calls, ${summary.failed} failed (${outside} outside faults), p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ${windows.length} faults`);
    say(`peak memory (MiB): ${Object.entries(peaks).map(([pod, mib]) => `${pod} ${mib}`).join(', ')}`);
    say(restarted.length === 0 ? 'no pod restarted' : `restarted: ${JSON.stringify(restarted)}`);
    return verdict;
  } finally {
    await clearFaults().catch(() => undefined);
    const out = path.join(repoRoot, 'dist/soak', `cluster-soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    say(`report: ${path.relative(process.cwd(), out)}`);
    tryKubectl(['delete', 'pod', '-n', NS, 'soak-load', '--ignore-not-found']);
    for (const app of ['mcp-client', 'mcp-server']) helmQuiet(['uninstall', app, '-n', NS]);
    tryKubectl(['delete', 'namespace', NS, '--wait', '--timeout=180s'], { timeoutMs: 200_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function helmQuiet(/** @type {string[]} */ args) {
  try {
    helm(args);
  } catch {
    // already gone
  }
}
