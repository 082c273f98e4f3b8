// kubectl as the cluster's admin, for the CLI and the end-to-end suite.
import { execFileSync, spawnSync } from 'node:child_process';
import { adminKubeconfig, program } from './layout.mjs';

/** Runs kubectl; returns stdout, throws with stderr on failure. */
export function kubectl(/** @type {string[]} */ args, /** @type {{ input?: string, timeoutMs?: number }} */ options = {}) {
  return execFileSync(program('kubectl'), [`--kubeconfig=${adminKubeconfig}`, ...args], {
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs kubectl and reports the outcome rather than throwing. */
export function tryKubectl(/** @type {string[]} */ args, /** @type {{ input?: string, timeoutMs?: number }} */ options = {}) {
  const result = spawnSync(program('kubectl'), [`--kubeconfig=${adminKubeconfig}`, ...args], {
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export const applyObjects = (/** @type {unknown[]} */ objects) =>
  kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
