// A load generator inside the cluster: a pod of the client image, restricted like the apps, that
// calls a Service until told to stop (src/load-generator.mjs). For the guide's suite and the soak.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, waitFor } from './daemons.mjs';
import { applyObjects, kubectl, tryKubectl } from './kubectl.mjs';

const script = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-generator.mjs'), 'utf8');

/**
 * @typedef {{ method: 'GET' | 'POST', url: string, body?: string, expect: string }} LoadRequest
 * @typedef {{ namespace: string, name: string, image: string, requests: LoadRequest[],
 *   concurrency?: number, maxSeconds?: number, memoryLimit?: string }} LoadOptions
 * @typedef {{ ok: number, failed: number, errors: Record<string, number>, firstFailures: Array<{ at: string, reason: string }>,
 *   failuresBySecond: Record<string, number>, p50Ms: number | null, p99Ms: number | null }} LoadSummary
 */

/** The load generator's pod. */
export function loadGeneratorPod(/** @type {LoadOptions} */ options) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: options.namespace, labels: { 'app.kubernetes.io/name': 'load-generator' } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'load',
          image: options.image,
          command: ['node', '--input-type=module', '-e', script],
          env: [
            { name: 'REQUESTS', value: JSON.stringify(options.requests) },
            { name: 'CONCURRENCY', value: String(options.concurrency ?? 4) },
            { name: 'MAX_SECONDS', value: String(options.maxSeconds ?? 300) },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: options.memoryLimit ?? '256Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Mi' } }],
    },
  };
}

/** Starts the pod and resolves once it has been calling for `settleMs`, so a failure later proves something. */
export async function startLoad(/** @type {LoadOptions} */ options, settleMs = 3000) {
  const { namespace, name } = options;
  tryKubectl(['delete', 'pod', '-n', namespace, name, '--ignore-not-found', '--wait']);
  applyObjects([loadGeneratorPod(options)]);
  await waitFor(`${name} to start calling`, () => tryKubectl(['logs', '-n', namespace, name]).stdout.includes('load started'), { timeoutMs: 120_000, intervalMs: 500 });
  await sleep(settleMs);
  return {
    /** Stops the loops, waits for the pod to finish, and returns what it counted. */
    async stop() {
      kubectl(['exec', '-n', namespace, name, '--', 'node', '-e', "require('fs').writeFileSync('/tmp/stop', '')"]);
      await waitFor(`${name} to finish`, () => kubectl(['get', 'pod', '-n', namespace, name, '-o', 'jsonpath={.status.phase}']) === 'Succeeded', {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      const logs = kubectl(['logs', '-n', namespace, name]);
      const line = logs.split('\n').find((candidate) => candidate.includes('"load finished"'));
      if (!line) throw new Error(`the load generator printed no summary:\n${logs}`);
      tryKubectl(['delete', 'pod', '-n', namespace, name, '--wait=false']);
      return /** @type {LoadSummary} */ (JSON.parse(line));
    },
  };
}
