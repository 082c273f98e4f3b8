// Host processes of the cluster: started detached (they outlive `npm run cluster -- up`), each with
// a log file and a pid file, and stopped by that pid alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dirs } from './layout.mjs';

const pidFile = (/** @type {string} */ name) => path.join(dirs.pids, `${name}.pid`);
export const logFile = (/** @type {string} */ name) => path.join(dirs.logs, `${name}.log`);

/** The pid of a daemon this cluster started, if it still runs (and is still that process). */
export function runningPid(/** @type {string} */ name) {
  let recorded;
  try {
    recorded = fs.readFileSync(pidFile(name), 'utf8').trim().split(' ');
  } catch {
    return undefined;
  }
  const pid = Number(recorded[0]);
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  // A recycled pid belongs to a process that started at another time: the kernel's start time (in
  // clock ticks since boot) is set at fork and survives exec, so it names one process for good.
  const started = startTime(pid);
  return started !== undefined && started === recorded[1] ? pid : undefined;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command, which may hold spaces). */
function startTime(/** @type {number} */ pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); a zombie has exited.
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/**
 * Starts `command args` in its own session unless it already runs; its output appends to its log.
 * @param {{ name: string, command: string, args: string[], env?: Record<string, string>, cwd?: string }} spec
 */
export function startDaemon(spec) {
  const existing = runningPid(spec.name);
  if (existing) return existing;
  fs.mkdirSync(dirs.pids, { recursive: true });
  fs.mkdirSync(dirs.logs, { recursive: true });
  const out = fs.openSync(logFile(spec.name), 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  fs.writeFileSync(pidFile(spec.name), `${child.pid} ${startTime(child.pid)}\n`);
  return child.pid;
}

/** Stops a daemon by its recorded pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopDaemon(/** @type {string} */ name, graceMs = 10_000) {
  const pid = runningPid(name);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && isAlive(pid)) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  fs.rmSync(pidFile(name), { force: true });
  return Boolean(pid);
}

/** A zombie (exited, not yet reaped by its parent) counts as gone. */
const isAlive = (/** @type {number} */ pid) => startTime(pid) !== undefined;

export const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes; the error names `what` and
 * points at the daemon's log.
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number, log?: string }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, options = {}) {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(options.intervalMs ?? 250);
  }
  const hint = options.log ? ` (see ${options.log})` : '';
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message ?? lastError}` : ''}${hint}`);
}
