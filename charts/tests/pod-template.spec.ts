import { type ChartName, type RenderOptions, charts, findOne, render, renderText, testPods } from './support/helm';
import type { Deployment, Pod } from './support/k8s-types';

const guide = (chart: ChartName) => ({ valuesFiles: [`${chart}-values.yaml`] });
const deploymentOf = (chart: ChartName, options: RenderOptions) =>
  findOne<Deployment>(render(chart, options), 'Deployment');

describe.each(charts)('%s pod template', (chart) => {
  it('turns off the service links, in the app pod and the test pod', () => {
    const manifests = render(chart, guide(chart));
    expect(findOne<Deployment>(manifests, 'Deployment').spec.template.spec.enableServiceLinks).toBe(false);
    expect(testPods<Pod>(manifests)[0].spec.enableServiceLinks).toBe(false);
  });

  it.each<{ set: Record<string, string>; emptyDir: object }>([
    { set: {}, emptyDir: { sizeLimit: '64Mi' } },
    { set: { tmpSizeLimit: '1Gi' }, emptyDir: { sizeLimit: '1Gi' } },
    { set: { tmpSizeLimit: '' }, emptyDir: {} },
  ])('limits the /tmp emptyDir with tmpSizeLimit: $set', ({ set, emptyDir }) => {
    const volumes = deploymentOf(chart, { ...guide(chart), set }).spec.template.spec.volumes;
    expect(volumes).toEqual([{ name: 'tmp', emptyDir }]);
  });

  it('mounts extraVolumes at extraVolumeMounts after /tmp (a CA bundle for a TLS-inspecting firewall)', () => {
    const pod = deploymentOf(chart, {
      ...guide(chart),
      set: {
        'extraVolumes[0].name': 'extra-ca',
        'extraVolumes[0].configMap.name': 'firewall-ca',
        'extraVolumeMounts[0].name': 'extra-ca',
        'extraVolumeMounts[0].mountPath': '/etc/ssl/extra-ca',
        'extraVolumeMounts[0].readOnly': true,
        'extraEnv[0].name': 'NODE_EXTRA_CA_CERTS',
        'extraEnv[0].value': '/etc/ssl/extra-ca/ca.crt',
      },
    }).spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'extra-ca', configMap: { name: 'firewall-ca' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'extra-ca', mountPath: '/etc/ssl/extra-ca', readOnly: true },
    ]);
    expect(pod.containers[0].env).toEqual([{ name: 'NODE_EXTRA_CA_CERTS', value: '/etc/ssl/extra-ca/ca.crt' }]);
  });

  describe('rolls the pods when the service account annotations change (the webhook reads them at pod creation)', () => {
    const checksums = (set: Record<string, string | boolean>, setString: Record<string, string> = {}) =>
      deploymentOf(chart, { ...guide(chart), set, setString }).spec.template.metadata.annotations ?? {};
    const base = checksums({});

    it('has a checksum of them beside the config checksum', () => {
      expect(base['checksum/serviceaccount']).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each<[string, Record<string, string>, Record<string, string>]>([
      ['azure.clientId', { 'azure.clientId': '9b27d6e0-4c8f-4a13-b5e9-2d71f08a6c35' }, {}],
      ['azure.tenantId', { 'azure.tenantId': '5f1c2a8e-3b4d-4e6f-9a7b-8c0d1e2f3a4b' }, {}],
      [
        'the token expiration annotation',
        {},
        { 'serviceAccount.annotations.azure\\.workload\\.identity/service-account-token-expiration': '7200' },
      ],
    ])('changes with %s, and the config checksum does not', (_what, set, setString) => {
      const changed = checksums(set, setString);
      expect(changed['checksum/serviceaccount']).not.toBe(base['checksum/serviceaccount']);
      expect(changed['checksum/config']).toBe(base['checksum/config']);
    });

    it('stays with a new image tag or log level', () => {
      for (const set of [{ 'image.tag': '1.1.0' }, { 'app.logLevel': 'DEBUG' }] as Record<string, string>[]) {
        expect(checksums(set)['checksum/serviceaccount']).toBe(base['checksum/serviceaccount']);
      }
      expect(checksums({ 'image.tag': '1.1.0' })['checksum/config']).toBe(base['checksum/config']);
    });

    it('is left out when the chart does not create the service account', () => {
      expect(checksums({ 'serviceAccount.create': false, 'serviceAccount.name': 'shared' })).not.toHaveProperty(
        'checksum/serviceaccount',
      );
    });
  });

  it("lets podLabels replace the chart's informational labels, each label once", () => {
    const options = {
      ...guide(chart),
      set: { 'podLabels.app\\.kubernetes\\.io/part-of': 'tools', 'podLabels.team': 'platform' },
    };
    // The YAML parser refuses duplicate keys, so render() would throw on a label given twice.
    const labels = deploymentOf(chart, options).spec.template.metadata.labels;
    expect(labels).toMatchObject({
      'app.kubernetes.io/part-of': 'tools',
      team: 'platform',
      'app.kubernetes.io/name': chart,
      'azure.workload.identity/use': 'true',
    });
    expect(renderText(chart, options).match(/app\.kubernetes\.io\/part-of: tools/g)).toHaveLength(1);
  });
});

describe('mcp-server readiness probe and helm test with the backend check', () => {
  it.each([
    { set: { 'app.readinessCheckBackend': false, 'app.backendApiTimeout': 10 }, probe: 5, curl: '10' },
    { set: { 'app.readinessCheckBackend': true, 'app.backendApiTimeout': 10 }, probe: 12, curl: '12' },
    { set: { 'app.readinessCheckBackend': true, 'app.backendApiTimeout': 3 }, probe: 5, curl: '10' },
    { set: { 'app.readinessCheckBackend': true, 'app.backendApiTimeout': 30 }, probe: 32, curl: '32' },
  ])('with $set waits $probe s in the probe and $curl s in helm test', ({ set, probe, curl }) => {
    const manifests = render('mcp-server', { ...guide('mcp-server'), set });
    const container = findOne<Deployment>(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.readinessProbe?.timeoutSeconds).toBe(probe);
    const args = testPods<Pod>(manifests)[0].spec.containers[0].args ?? [];
    expect(args[args.indexOf('--max-time') + 1]).toBe(curl);
  });
});

describe('mcp-client readiness probe', () => {
  it('waits 5 s: the client has no backend check', () => {
    const container = deploymentOf('mcp-client', guide('mcp-client')).spec.template.spec.containers[0];
    expect(container.readinessProbe?.timeoutSeconds).toBe(5);
  });
});
