// Starting, pinning, loading and measuring the processes a benchmark section runs.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** The server under test gets one core, the load generator (and helpers) the other. */
export const SERVER_CORE = '1';
export const LOAD_CORE = '0';

/** `file ...args`, under taskset when a core is given and taskset exists (it execs the file: same pid). */
export function pinnedCommand(core, file, args) {
  return core && hasTaskset ? ['taskset', ['-c', core, file, ...args]] : [file, args];
}

/** `node ...args`, pinned as pinnedCommand pins it. */
function command(core, args) {
  return pinnedCommand(core, process.execPath, args);
}

/**
 * Spawns a Node process and resolves `ready` with the first match of `readyPattern` on its stdout
 * (the port, for servers that listen on port 0).
 * @param {{ script: string, nodeFlags?: string[], env?: Record<string, string>, core?: string, readyPattern?: RegExp }} options
 */
export function startProcess({ script, nodeFlags = [], env = {}, core, readyPattern = /listening on port (\d+)/ }) {
  const [file, args] = command(core, [...nodeFlags, script]);
  const started = performance.now();
  const child = spawn(file, args, { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk.toString('utf8');
      const match = readyPattern.exec(buffered);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(match);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return { child, started, ready };
}

/** Spawns a server that prints "listening on port N" and resolves its base URL. */
export async function startHttpServer(options) {
  const server = startProcess(options);
  const [, port] = await server.ready;
  return { ...server, url: `http://127.0.0.1:${port}` };
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** VmHWM (peak) or VmRSS (now) of a process, in MB. */
export function memoryMb(pid, field = 'VmHWM') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * One autocannon run in its own process (tools/bench/load.mjs), every response body checked.
 * @param {{ url: string, request: object, workDir: string, seconds?: number, amount?: number, connections: number, core?: string }} options
 */
export function runLoad({ url, request, workDir, seconds, amount, connections, core = LOAD_CORE }) {
  const requestFile = path.join(workDir, `request-${Buffer.from(url + JSON.stringify(request)).toString('base64url').slice(-40)}.json`);
  writeFileSync(requestFile, JSON.stringify(request));
  const limit = amount !== undefined ? `amount=${amount}` : `duration=${seconds}`;
  const [file, args] = command(core, [path.join(root, 'tools/bench/load.mjs'), url, requestFile, limit, String(connections)]);
  const result = spawnSync(file, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`load generator failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** One request, its body checked: the benchmark refuses to measure a server that answers wrongly. */
export async function callOnce(url, request) {
  const response = await fetch(url, { method: request.method ?? 'POST', headers: request.headers, body: request.body });
  return response.ok && (await response.text()).includes(request.expect);
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
