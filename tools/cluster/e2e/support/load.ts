import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterEnv } from './cluster-env';
import { eventually, must, run } from './commands';

const script = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-generator.mjs'), 'utf8');

export interface LoadSummary {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  firstFailures: Array<{ at: string; reason: string }>;
}

/**
 * A load generator inside the cluster: a pod of the client image, restricted like the apps, that
 * POSTs to `url` (a Service) until stop() or `maxSeconds`. Resolves once its first calls succeeded.
 */
export async function startLoad(env: ClusterEnv, options: { namespace: string; name: string; url: string; body: string; expect: string; concurrency?: number; maxSeconds?: number }) {
  const pod = {
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
          image: `${env.REGISTRY}/mcp-client:${env.IMAGE_TAG}`,
          command: ['node', '--input-type=module', '-e', script],
          env: [
            { name: 'URL', value: options.url },
            { name: 'BODY', value: options.body },
            { name: 'EXPECT', value: options.expect },
            { name: 'CONCURRENCY', value: String(options.concurrency ?? 4) },
            { name: 'MAX_SECONDS', value: String(options.maxSeconds ?? 300) },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Mi' } }],
    },
  };
  await run(env, 'kubectl', ['delete', 'pod', '-n', options.namespace, options.name, '--ignore-not-found', '--wait']);
  const manifest = path.join(fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'load-')), 'pod.json');
  fs.writeFileSync(manifest, JSON.stringify(pod));
  await must(env, 'kubectl', ['apply', '-f', manifest]);
  await eventually(`${options.name} to start calling`, async () =>
    (await run(env, 'kubectl', ['logs', '-n', options.namespace, options.name])).stdout.includes('load started'),
  );
  // The first calls must succeed before anything is disturbed, or a failure would prove nothing.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return {
    /** Stops the loops, waits for the pod to finish, and returns what it counted. */
    async stop(): Promise<LoadSummary> {
      await must(env, 'kubectl', ['exec', '-n', options.namespace, options.name, '--', 'node', '-e', "require('fs').writeFileSync('/tmp/stop', '')"]);
      await eventually(`${options.name} to finish`, async () =>
        (await must(env, 'kubectl', ['get', 'pod', '-n', options.namespace, options.name, '-o', 'jsonpath={.status.phase}'])) === 'Succeeded',
        60_000,
      );
      const logs = await must(env, 'kubectl', ['logs', '-n', options.namespace, options.name]);
      const line = logs.split('\n').find((candidate) => candidate.includes('"load finished"'));
      if (!line) throw new Error(`the load generator printed no summary:\n${logs}`);
      await run(env, 'kubectl', ['delete', 'pod', '-n', options.namespace, options.name, '--wait=false']);
      return JSON.parse(line) as LoadSummary;
    },
  };
}
