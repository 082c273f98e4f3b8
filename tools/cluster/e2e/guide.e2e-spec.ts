import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listFederatedCredentials } from '../src/azure-stand-ins.mjs';
import { tagImage } from '../src/registry.mjs';
import { writeGuideValuesFile } from '../src/guide-values.mjs';
import { startLoad } from '../src/in-cluster-load.mjs';
import { ClusterEnv, clusterEnv } from './support/cluster-env';
import { eventually, must, portForward, run } from './support/commands';

/**
 * The deployment guide's Steps 3-11, typed as the guide types them, against the local cluster
 * (npm run cluster -- up, then images). Where the guide's own command is wrong, the suite runs the
 * corrected one that the README's AKS section gives, and says so beside it. Two additions, both in
 * the README: Pod Security `restricted` enforced on the namespace, and the emulator's CA bundle
 * (a ConfigMap and one more --values file, as a cluster behind a TLS-inspecting proxy needs).
 */
const NS = 'mcp-system';
const GUIDE_USER = { user_id: '123' };
const GUIDE_CALL = { method: 'tools/call', params: { name: 'get_user_profile', arguments: GUIDE_USER } };

describe('the AKS deployment guide on the local cluster', () => {
  let env: ClusterEnv;
  let dir: string;
  let serverValues: string;
  let clientValues: string;
  const kubectl = (...args: string[]) => must(env, 'kubectl', args);
  const helm = (...args: string[]) => must(env, 'helm', args, 360_000);
  const podNames = async (app: string) =>
    (await kubectl('get', 'pods', '-n', NS, '-l', `app.kubernetes.io/name=${app}`, '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}'))
      .split(' ')
      .filter(Boolean);
  /** Calls through the client's Service, from a pod of the cluster, as the guide's callers would. */
  const facadeLoad = (name: string) => ({
    namespace: NS,
    name,
    image: `${env.REGISTRY}/mcp-client:${env.IMAGE_TAG}`,
    requests: [{ method: 'POST' as const, url: 'http://mcp-client:8000/tools/get_user_profile/call', body: JSON.stringify(GUIDE_USER), expect: 'Ada Lovelace' }],
  });
  const readyReplicas = async (app: string) => Number((await kubectl('get', 'deployment', app, '-n', NS, '-o', 'jsonpath={.status.readyReplicas}')) || 0);

  beforeAll(async () => {
    env = clusterEnv();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));
    serverValues = writeGuideValuesFile('mcp-server', env as unknown as Record<string, string>, dir);
    clientValues = writeGuideValuesFile('mcp-client', env as unknown as Record<string, string>, dir);
    // A namespace left by an earlier, interrupted run.
    await run(env, 'kubectl', ['delete', 'namespace', NS, '--ignore-not-found', '--wait', '--timeout=120s'], 150_000);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Step 3: creates the namespace, with the restricted Pod Security Standard enforced', async () => {
    await kubectl('create', 'namespace', NS);
    await kubectl('label', 'namespace', NS, 'pod-security.kubernetes.io/enforce=restricted');
    await kubectl('create', 'configmap', 'extra-ca-bundle', '-n', NS, `--from-file=ca.crt=${env.CA_BUNDLE}`);
    expect(await kubectl('get', 'namespace', NS, '-o', 'jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}')).toBe('restricted');
  });

  it("Step 4: the federated credentials name the cluster's issuer and both service accounts", async () => {
    const { value } = (await listFederatedCredentials()) as { value: Array<{ name: string; issuer: string; subject: string; audiences: string[] }> };
    expect(value.map(({ name, issuer, subject, audiences }) => ({ name, issuer, subject, audiences }))).toEqual(
      expect.arrayContaining(
        ['mcp-server', 'mcp-client'].map((sa) => ({
          name: `${sa}-credential`,
          issuer: env.AKS_OIDC_ISSUER,
          subject: `system:serviceaccount:${NS}:${sa}`,
          audiences: ['api://AzureADTokenExchange'],
        })),
      ),
    );
  });

  it('Step 5: installs the server from the guide\'s chart path and passes its verify commands', async () => {
    await helm('install', 'mcp-server', 'mcp-server/helm/mcp-server-chart', '--namespace', NS, '--values', serverValues,
      '--values', env.LOCAL_ENTRA_VALUES, '--wait', '--timeout', '5m');
    // With the HPA on, the Deployment has no replicas of its own: it starts one pod, and the HPA
    // brings minReplicas at its next sync (15 s).
    await eventually('the HPA to bring the server to minReplicas (2)', async () => (await readyReplicas('mcp-server')) === 2, 120_000);
    expect(await podNames('mcp-server')).toHaveLength(2);
    expect(await kubectl('get', 'svc', '-n', NS)).toMatch(/mcp-server\s+ClusterIP\s+\S+\s+<none>\s+8000\/TCP/);
    expect(await kubectl('logs', '-n', NS, '-l', 'app.kubernetes.io/name=mcp-server', '--tail=50')).toMatch(/listening on port 8000/);
    const [pod] = await podNames('mcp-server');
    const ready = JSON.parse(await kubectl('exec', '-n', NS, pod, '--', 'curl', '-s', 'http://localhost:8000/health/ready'));
    expect(ready).toMatchObject({ status: 'ok', info: { token: { status: 'up' }, 'backend-api': { status: 'up' } } });
  });

  it('Step 6: installs the client, which discovers the server\'s one tool', async () => {
    await helm('install', 'mcp-client', 'mcp-client/helm/mcp-client-chart', '--namespace', NS, '--values', clientValues,
      '--values', env.LOCAL_ENTRA_VALUES, '--wait', '--timeout', '5m');
    expect(await podNames('mcp-client')).toHaveLength(1);
    // Corrected: the guide's `-l ... -f` never ends, and -l alone shows 10 lines a pod.
    const logs = await kubectl('logs', '-n', NS, '-l', 'app.kubernetes.io/name=mcp-client', '--tail=-1');
    expect(logs).toContain('Discovered 1 tools');
  });

  it("runs both charts' helm tests (the apps' own images, admitted by restricted Pod Security)", async () => {
    expect(await helm('test', 'mcp-server', '-n', NS)).toMatch(/TEST SUITE:\s+mcp-server-test-connection[\s\S]*Phase:\s+Succeeded/);
    expect(await helm('test', 'mcp-client', '-n', NS)).toMatch(/TEST SUITE:\s+mcp-client-test-connection[\s\S]*Phase:\s+Succeeded/);
  });

  it('Step 7: the webhook injected workload identity into the server pod', async () => {
    const [pod] = await podNames('mcp-server');
    const azureEnv = (await kubectl('exec', '-n', NS, pod, '--', 'env')).split('\n').filter((line) => line.startsWith('AZURE'));
    expect(azureEnv).toEqual(
      expect.arrayContaining([
        `AZURE_CLIENT_ID=${env.SERVER_CLIENT_ID}`,
        `AZURE_TENANT_ID=${env.TENANT_ID}`,
        `AZURE_AUTHORITY_HOST=${env.AUTHORITY_HOST}/`,
        'AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token',
      ]),
    );
    expect(await kubectl('get', 'sa', '-n', NS, 'mcp-server', '-o', 'yaml')).toContain(`azure.workload.identity/client-id: ${env.SERVER_CLIENT_ID}`);
    expect(await kubectl('get', 'pod', '-n', NS, pod, '-o', 'yaml')).toMatch(/azure\.workload\.identity\/use: "true"/);
    // Corrected: the file is azure-identity-token, not token (and webhook v1.6 moves the folder:
    // ls "$(dirname "$AZURE_FEDERATED_TOKEN_FILE")" holds in every version).
    expect(await kubectl('exec', '-n', NS, pod, '--', 'ls', '-la', '/var/run/secrets/azure/tokens/')).toContain('azure-identity-token ->');
  });

  it('Step 8: the three curls through kubectl port-forward, and the client facade too', async () => {
    const server = await portForward(env, NS, 'svc/mcp-server', 8000);
    try {
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/health/ready`)).json()).toMatchObject({ status: 'ok' });
      const call = await fetch(`${server.url}/_mcp/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(GUIDE_CALL) });
      expect(await call.json()).toMatchObject({ structuredContent: { id: '123', name: 'Ada Lovelace' } });
    } finally {
      server.stop();
    }
    const client = await portForward(env, NS, 'svc/mcp-client', 8000);
    try {
      const call = await fetch(`${client.url}/tools/get_user_profile/call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(GUIDE_USER) });
      expect(call.status).toBe(200);
      expect(JSON.stringify(await call.json())).toContain('Ada Lovelace');
    } finally {
      client.stop();
    }
  });

  it('Step 9: the HPAs show real CPU figures', async () => {
    const targets = await eventually('CPU figures in kubectl get hpa', async () => {
      const table = await kubectl('get', 'hpa', '-n', NS);
      return /mcp-server\s+Deployment\/mcp-server\s+cpu: \d+%\/80%/.test(table) && /mcp-client\s+Deployment\/mcp-client\s+cpu: \d+%\/75%/.test(table) ? table : undefined;
    }, 180_000, 5000);
    expect(targets).not.toContain('<unknown>');
    expect(await kubectl('describe', 'hpa', '-n', NS, 'mcp-server')).toMatch(/Min replicas:\s+2/);
    expect(await kubectl('top', 'nodes')).toMatch(/mcp-local\s+\d+m/);
    // Corrected: the guide's `kubectl logs -n mcp-system -f --all-containers` names no pod.
    const combined = await kubectl('logs', '-n', NS, '-l', 'app.kubernetes.io/part-of=mcp-platform', '--all-containers', '--prefix', '--tail=5');
    expect(combined).toMatch(/^\[pod\/mcp-server-\S+\/mcp-server\]/m);
    expect(combined).toMatch(/^\[pod\/mcp-client-\S+\/mcp-client\]/m);
  });

  it('Step 10: helm upgrade to a new image tag under load drops no call', async () => {
    const newTag = `${env.IMAGE_TAG}-next`;
    await tagImage('mcp-server', env.IMAGE_TAG, newTag);
    const load = await startLoad(facadeLoad('load-rollout'));
    await helm('upgrade', 'mcp-server', 'mcp-server/helm/mcp-server-chart', '--namespace', NS, '--set', `image.tag=${newTag}`,
      '--values', serverValues, '--values', env.LOCAL_ENTRA_VALUES, '--wait');
    const summary = await load.stop();
    expect(await kubectl('get', 'deployment', 'mcp-server', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe(`${env.REGISTRY}/mcp-server:${newTag}`);
    expect(summary.firstFailures).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.ok).toBeGreaterThan(100);
  });

  it('Step 10: a server pod deleted under load drops no call', async () => {
    const load = await startLoad(facadeLoad('load-delete'));
    const [victim] = await podNames('mcp-server');
    await kubectl('delete', 'pod', '-n', NS, victim, '--wait');
    await eventually('two ready server pods again', async () => (await readyReplicas('mcp-server')) === 2, 120_000);
    const summary = await load.stop();
    expect(summary.firstFailures).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.ok).toBeGreaterThan(50);
  });

  it('Step 10: kubectl scale with the HPA on: the HPA brings a count below its minimum back', async () => {
    await kubectl('scale', 'deployment', 'mcp-server', '-n', NS, '--replicas=3');
    await eventually('three ready server pods', async () => (await readyReplicas('mcp-server')) === 3, 120_000);
    // Below minReplicas the HPA corrects the count at its next sync, not after its 5-minute
    // scale-down window.
    await kubectl('scale', 'deployment', 'mcp-server', '-n', NS, '--replicas=1');
    await eventually('the HPA to restore minReplicas (2)', async () =>
      Number(await kubectl('get', 'deployment', 'mcp-server', '-n', NS, '-o', 'jsonpath={.spec.replicas}')) === 2, 120_000, 2000);
    await eventually('two ready server pods', async () => (await readyReplicas('mcp-server')) === 2, 120_000);
  });

  it('Step 11: uninstalling and deleting the namespace leave nothing behind', async () => {
    await helm('uninstall', 'mcp-server', '-n', NS);
    await helm('uninstall', 'mcp-client', '-n', NS);
    await must(env, 'kubectl', ['delete', 'namespace', NS, '--wait', '--timeout=180s'], 200_000);
    expect((await run(env, 'kubectl', ['get', 'namespace', NS])).stderr).toContain('NotFound');
    const leftovers = await kubectl('get', 'all,serviceaccounts,configmaps,networkpolicies,poddisruptionbudgets,hpa', '-A', '-l', 'app.kubernetes.io/part-of=mcp-platform', '-o', 'name');
    expect(leftovers.trim()).toBe('');
  });
});
