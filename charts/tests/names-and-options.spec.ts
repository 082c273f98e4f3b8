import { charts, findAll, findOne, render, testPods } from './support/helm';
import type { ConfigMap, Deployment, Manifest, NetworkPolicy, Pod, ServiceAccount } from './support/k8s-types';

interface Ingress extends Manifest {
  spec: {
    ingressClassName?: string;
    tls?: { secretName: string; hosts: string[] }[];
    rules: { host: string; http: { paths: { path: string; pathType: string; backend: unknown }[] } }[];
  };
}

interface ServiceMonitor extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    namespaceSelector: { matchNames: string[] };
    endpoints: { port: string; path: string; interval: string; scrapeTimeout: string }[];
  };
}

const names = (manifests: Manifest[]) => [
  ...new Set(manifests.filter((manifest) => manifest.kind !== 'Pod').map((manifest) => manifest.metadata.name)),
];

describe.each(charts)('%s names', (chart) => {
  it('prefixes the chart name to a release name that lacks it', () => {
    const manifests = render(chart, { release: 'prod' });
    expect(names(manifests)).toEqual([`prod-${chart}`]);
    expect(findOne<Deployment>(manifests, 'Deployment').spec.template.metadata.labels?.['app.kubernetes.io/name']).toBe(
      chart,
    );
  });

  it('keeps a release name that contains the chart name', () => {
    expect(names(render(chart, { release: `${chart}-blue` }))).toEqual([`${chart}-blue`]);
  });

  it('uses fullnameOverride and nameOverride', () => {
    const manifests = render(chart, { set: { fullnameOverride: 'tools', nameOverride: 'tools-app' } });
    expect(names(manifests)).toEqual(['tools']);
    expect(findOne<Deployment>(manifests, 'Deployment').spec.selector.matchLabels['app.kubernetes.io/name']).toBe(
      'tools-app',
    );
  });

  it('names the service account after serviceAccount.name', () => {
    const manifests = render(chart, { set: { 'serviceAccount.name': 'workload-sa' } });
    expect(findOne<ServiceAccount>(manifests, 'ServiceAccount').metadata.name).toBe('workload-sa');
    expect(findOne<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('workload-sa');
  });

  it('uses an existing service account when serviceAccount.create is false', () => {
    const manifests = render(chart, { set: { 'serviceAccount.create': false, 'serviceAccount.name': 'shared-sa' } });
    expect(findAll(manifests, 'ServiceAccount')).toEqual([]);
    expect(findOne<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('shared-sa');
  });
});

describe.each(charts)('%s optional features', (chart) => {
  const allFeatures = { valuesFiles: [`${chart}-values.yaml`, `${chart}-all-features.yaml`] };

  it('renders no Ingress and no ServiceMonitor by default, and a NetworkPolicy', () => {
    const manifests = render(chart);
    expect(findAll(manifests, 'Ingress')).toEqual([]);
    expect(findAll(manifests, 'ServiceMonitor')).toEqual([]);
    expect(findAll(manifests, 'NetworkPolicy')).toHaveLength(1);
  });

  it('drops the NetworkPolicy when networkPolicy.enabled is false', () => {
    expect(findAll(render(chart, { set: { 'networkPolicy.enabled': false } }), 'NetworkPolicy')).toEqual([]);
  });

  it('routes the Ingress to the http port of the Service', () => {
    const ingress = findOne<Ingress>(render(chart, allFeatures), 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('webapprouting.kubernetes.azure.com');
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: chart, port: { name: 'http' } } });
    expect(ingress.spec.tls?.[0].secretName).toBe(`${chart}-tls`);
  });

  it('scrapes /metrics on the http port with the ServiceMonitor', () => {
    const monitor = findOne<ServiceMonitor>(render(chart, allFeatures), 'ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels?.['release']).toBe('kube-prometheus-stack');
    expect(monitor.spec.namespaceSelector.matchNames).toEqual(['mcp-system']);
    expect(monitor.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': chart,
      'app.kubernetes.io/instance': chart,
    });
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
  });

  it('adds extraEnv after the ConfigMap and keeps pod labels and annotations', () => {
    const deployment = findOne<Deployment>(render(chart, allFeatures), 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.env?.[0]).toEqual({
      name: 'NODE_OPTIONS',
      value: expect.stringContaining('--max-old-space-size'),
    });
    expect(deployment.spec.template.metadata.labels?.['team']).toBe('platform');
    expect(deployment.spec.template.metadata.labels?.['azure.workload.identity/use']).toBe('true');
  });

  it('merges serviceAccount.annotations with the workload identity ones', () => {
    const serviceAccount = findOne<ServiceAccount>(render(chart, allFeatures), 'ServiceAccount');
    expect(Object.keys(serviceAccount.metadata.annotations ?? {}).sort()).toEqual([
      'azure.workload.identity/client-id',
      'azure.workload.identity/service-account-token-expiration',
      'azure.workload.identity/tenant-id',
    ]);
  });

  it("runs the helm test pod from the app's image, pull policy and pull secrets by default", () => {
    const manifests = render(chart, {
      valuesFiles: [`${chart}-values.yaml`],
      set: { 'image.pullPolicy': 'Always', 'imagePullSecrets[0].name': 'contoso-registry' },
    });
    const [pod] = testPods<Pod>(manifests);
    const app = findOne<Deployment>(manifests, 'Deployment').spec.template.spec;
    expect(pod.spec.containers[0].image).toBe(`contosomcp.azurecr.io/${chart}:1.0.0`);
    expect(pod.spec.containers[0].image).toBe(app.containers[0].image);
    expect(pod.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'contoso-registry' }]);
    expect(pod.spec.containers[0].command).toEqual(['curl']);
  });

  it.each<{ set: Record<string, string>; image: string; pullPolicy: string }>([
    {
      set: { 'tests.image.repository': 'contosomcp.azurecr.io/curl', 'tests.image.tag': '8.12.0' },
      image: 'contosomcp.azurecr.io/curl:8.12.0',
      pullPolicy: 'IfNotPresent',
    },
    {
      set: { 'tests.image.tag': '1.0.1-debug' },
      image: `contosomcp.azurecr.io/${chart}:1.0.1-debug`,
      pullPolicy: 'IfNotPresent',
    },
    {
      set: { 'tests.image.pullPolicy': 'Always' },
      image: `contosomcp.azurecr.io/${chart}:1.0.0`,
      pullPolicy: 'Always',
    },
  ])('lets tests.image override a part of the helm test image: $set', ({ set, image, pullPolicy }) => {
    const [pod] = testPods<Pod>(render(chart, { valuesFiles: [`${chart}-values.yaml`], set }));
    expect(pod.spec.containers[0].image).toBe(image);
    expect(pod.spec.containers[0].imagePullPolicy).toBe(pullPolicy);
  });
});

describe('mcp-server NetworkPolicy and host allow-list options', () => {
  const manifests = () =>
    render('mcp-server', { valuesFiles: ['mcp-server-values.yaml', 'mcp-server-all-features.yaml'] });

  it('admits the allowed namespaces, the ingress controller and extra peers, and lets out the extra egress', () => {
    const policy = findOne<NetworkPolicy>(manifests(), 'NetworkPolicy');
    expect(policy.spec.ingress?.[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-client' } } },
      { podSelector: { matchLabels: { 'mcp-server-client': 'true' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-routing-system' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { ipBlock: { cidr: '10.224.0.0/16' } },
    ]);
    // DNS, Entra ID on 443, the http backend on 8080, then networkPolicy.extraEgress.
    expect(policy.spec.egress?.[2]).toEqual({ ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(policy.spec.egress?.[3]).toEqual({
      to: [{ ipBlock: { cidr: '10.10.0.0/16' } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  it('accepts the ingress hosts and app.allowedHosts in MCP_ALLOWED_HOSTS', () => {
    const hosts = findOne<ConfigMap>(manifests(), 'ConfigMap').data['MCP_ALLOWED_HOSTS'].split(',');
    expect(hosts).toEqual(expect.arrayContaining(['mcp.contoso.example', 'mcp-server.internal.contoso.example']));
  });
});

describe('mcp-client NetworkPolicy options', () => {
  it('reaches the MCP server in another namespace and admits only the configured peers', () => {
    const policy = findOne<NetworkPolicy>(
      render('mcp-client', { valuesFiles: ['mcp-client-values.yaml', 'mcp-client-all-features.yaml'] }),
      'NetworkPolicy',
    );
    expect(policy.spec.egress?.[2]).toEqual({
      to: [
        {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } },
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mcp-system' } },
        },
      ],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
    expect(policy.spec.ingress?.[0].from).toEqual([
      { podSelector: { matchLabels: { 'mcp-client-client': 'true' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-routing-system' } } },
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'chat-frontend' } } },
    ]);
  });
});
