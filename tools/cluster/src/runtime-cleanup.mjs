// Stopping what containerd runs for the cluster: every task in its k8s.io namespace, the shims
// that carried them, and the kubelet's cgroups, so that `down` leaves no process or cgroup behind.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { containerdSocket } from './layout.mjs';

const ctr = (/** @type {string[]} */ args) =>
  spawnSync('ctr', ['--address', containerdSocket, '--namespace', 'k8s.io', ...args], { encoding: 'utf8', timeout: 30_000 });

/** Kills and deletes every task and container; containerd must still run. */
export function removeAllContainers() {
  if (!fs.existsSync(containerdSocket)) return;
  const tasks = (ctr(['tasks', 'ls', '--quiet']).stdout ?? '').split('\n').filter(Boolean);
  for (const id of tasks) ctr(['tasks', 'kill', '--all', '--signal', 'SIGKILL', id]);
  for (const id of tasks) ctr(['tasks', 'delete', '--force', id]);
  const containers = (ctr(['containers', 'ls', '--quiet']).stdout ?? '').split('\n').filter(Boolean);
  for (const id of containers) ctr(['containers', 'delete', id]);
}

/** Shim processes serving this cluster's containerd (they name its socket on their command line). */
export function clusterShimPids() {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    if (path.basename(args[0] ?? '').startsWith('containerd-shim') && args.includes(containerdSocket)) pids.push(Number(entry));
  }
  return pids;
}

export function killShims() {
  for (const pid of clusterShimPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The kubelet's cgroup tree (kubepods) in every v1 controller and the unified hierarchy, deepest first. */
export function removeKubeletCgroups() {
  const root = '/sys/fs/cgroup';
  if (!fs.existsSync(root)) return;
  for (const controller of fs.readdirSync(root)) {
    const top = path.join(root, controller, 'kubepods');
    if (!fs.existsSync(top)) continue;
    const dirs = [];
    const walk = (/** @type {string} */ dir) => {
      dirs.push(dir);
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(path.join(dir, entry.name));
    };
    walk(top);
    for (const dir of dirs.sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // a cgroup still holding a process stays; `status` reports it
      }
    }
  }
}
