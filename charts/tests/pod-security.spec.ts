import {
  type ChartName,
  type RenderOptions,
  charts,
  findOne,
  removeValuesFiles,
  render,
  renderText,
  testPods,
  valuesFile,
} from './support/helm';
import type { Deployment, Pod, PodSpec } from './support/k8s-types';
import { restrictedChecks, restrictedViolations } from './support/pod-security';
import { validateManifests } from './support/validate';

afterAll(removeValuesFiles);

const scenarios: Record<string, (chart: ChartName) => RenderOptions> = {
  'default values': () => ({}),
  'the guide values': (chart) => ({ valuesFiles: [`${chart}-values.yaml`] }),
  'every optional feature on': (chart) => ({ valuesFiles: [`${chart}-values.yaml`, `${chart}-all-features.yaml`] }),
};

const cases = charts.flatMap((chart) => Object.keys(scenarios).map((scenario) => ({ chart, scenario })));

describe('Pod Security Standard "restricted"', () => {
  it.each(cases)('holds for every pod of $chart with $scenario', ({ chart, scenario }) => {
    const manifests = render(chart, scenarios[scenario](chart));
    const pods: [string, PodSpec][] = [
      ['Deployment', findOne<Deployment>(manifests, 'Deployment').spec.template.spec],
      ...testPods<Pod>(manifests).map((pod): [string, PodSpec] => [`test pod ${pod.metadata.name}`, pod.spec]),
    ];
    expect(pods).toHaveLength(2);
    for (const [owner, spec] of pods) {
      expect({ owner, violations: restrictedViolations(spec) }).toEqual({ owner, violations: [] });
    }
  });

  it.each(charts)(
    'holds for %s with extra volumes: a CA bundle from a ConfigMap, a Secret and a projection',
    (chart) => {
      const file = valuesFile(
        `${chart}-extra-volumes.yaml`,
        [
          'extraVolumes:',
          '  - {name: extra-ca, configMap: {name: firewall-ca}}',
          '  - {name: client-cert, secret: {secretName: client-cert}}',
          '  - name: bundle',
          '    projected:',
          '      sources: [{configMap: {name: firewall-ca}}, {downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}]',
          'extraVolumeMounts:',
          '  - {name: extra-ca, mountPath: /etc/ssl/extra-ca, readOnly: true}',
          '  - {name: client-cert, mountPath: /etc/ssl/client, readOnly: true}',
          '  - {name: bundle, mountPath: /etc/bundle, readOnly: true}',
          'extraEnv:',
          '  - {name: NODE_EXTRA_CA_CERTS, value: /etc/ssl/extra-ca/ca.crt}',
        ].join('\n'),
      );
      const manifests = render(chart, { valuesFiles: [`${chart}-values.yaml`, file] });
      const spec = findOne<Deployment>(manifests, 'Deployment').spec.template.spec;
      expect(spec.volumes?.map((volume) => volume.name)).toEqual(['tmp', 'extra-ca', 'client-cert', 'bundle']);
      expect(restrictedViolations(spec)).toEqual([]);
      expect(validateManifests(renderText(chart, { valuesFiles: [`${chart}-values.yaml`, file] }), 'minimum')).toEqual(
        [],
      );
    },
  );

  it('holds whatever user the pods are set to run as', () => {
    const set = { 'podSecurityContext.runAsUser': 1000, 'podSecurityContext.runAsGroup': 1000 };
    const deployment = findOne<Deployment>(render('mcp-server', { set }), 'Deployment');
    expect(restrictedViolations(deployment.spec.template.spec)).toEqual([]);
    expect(deployment.spec.template.spec.securityContext?.runAsUser).toBe(1000);
  });
});

// The checks above pass only if the checker can fail: one deliberately bad pod per control.
describe('the restricted checker', () => {
  const compliant = (): PodSpec => ({
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'app:1',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  });
  const app = (spec: PodSpec) => spec.containers[0];

  const breaches: Record<string, (spec: PodSpec) => void> = {
    HostProcess: (spec) => (spec.securityContext = { ...spec.securityContext, windowsOptions: { hostProcess: true } }),
    'Host Namespaces': (spec) => (spec.hostNetwork = true),
    'Privileged Containers': (spec) => (app(spec).securityContext = { ...app(spec).securityContext, privileged: true }),
    'HostPath Volumes': (spec) => spec.volumes?.push({ name: 'host', hostPath: { path: '/' } }),
    'Host Ports': (spec) => (app(spec).ports = [{ containerPort: 8000, hostPort: 8000 }]),
    AppArmor: (spec) => (spec.securityContext = { ...spec.securityContext, appArmorProfile: { type: 'Unconfined' } }),
    SELinux: (spec) => (spec.securityContext = { ...spec.securityContext, seLinuxOptions: { type: 'spc_t' } }),
    '/proc Mount Type': (spec) => (app(spec).securityContext = { ...app(spec).securityContext, procMount: 'Unmasked' }),
    'Seccomp (baseline)': (spec) =>
      (app(spec).securityContext = { ...app(spec).securityContext, seccompProfile: { type: 'Unconfined' } }),
    Sysctls: (spec) =>
      (spec.securityContext = { ...spec.securityContext, sysctls: [{ name: 'kernel.msgmax', value: '1' }] }),
    'Volume Types': (spec) => spec.volumes?.push({ name: 'nfs', nfs: { server: 'nfs', path: '/' } }),
    'Privilege Escalation': (spec) =>
      (app(spec).securityContext = { ...app(spec).securityContext, allowPrivilegeEscalation: undefined }),
    'Running as Non-root': (spec) => (spec.securityContext = { ...spec.securityContext, runAsNonRoot: undefined }),
    'Running as Non-root user': (spec) => (app(spec).securityContext = { ...app(spec).securityContext, runAsUser: 0 }),
    'Seccomp (restricted)': (spec) => (spec.securityContext = { ...spec.securityContext, seccompProfile: undefined }),
    'Capabilities (restricted)': (spec) =>
      (app(spec).securityContext = { ...app(spec).securityContext, capabilities: { drop: ['ALL'], add: ['NET_RAW'] } }),
  };

  it('finds nothing in a compliant pod', () => {
    expect(restrictedViolations(compliant())).toEqual([]);
  });

  it('has a breach below for every control it checks', () => {
    expect(Object.keys(breaches).sort()).toEqual(Object.keys(restrictedChecks).sort());
  });

  it.each(Object.keys(breaches))('reports a breach of "%s"', (control) => {
    const spec = compliant();
    breaches[control](spec);
    const violations = restrictedViolations(spec).filter((violation) => violation.startsWith(`${control}: `));
    expect(violations).toHaveLength(1);
  });

  it('also checks init containers', () => {
    const spec = compliant();
    spec.initContainers = [{ name: 'init', image: 'init:1' }];
    expect(restrictedViolations(spec)).toEqual([
      'Privilege Escalation: initContainers[init].securityContext.allowPrivilegeEscalation is not false',
      'Capabilities (restricted): initContainers[init].securityContext.capabilities.drop lacks ALL',
    ]);
  });
});
