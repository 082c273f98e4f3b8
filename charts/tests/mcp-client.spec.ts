import { findOne, helmFailure, render, templateArgs, testPods } from './support/helm';
import type {
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Manifest,
  NetworkPolicy,
  Pod,
  Service,
  ServiceAccount,
} from './support/k8s-types';
import { renderNotes } from './support/notes';

// The guide's Step 6: `helm install mcp-client ... --namespace mcp-system --values mcp-client-values.yaml`.
const guide = { release: 'mcp-client', namespace: 'mcp-system', valuesFiles: ['mcp-client-values.yaml'] };
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0f4d6a2e-5b1c-4f3e-9a7d-8c2b1e6f4a90';

describe('mcp-client chart with the guide values (Step 6)', () => {
  let manifests: Manifest[];
  let deployment: Deployment;

  beforeAll(() => {
    manifests = render('mcp-client', guide);
    deployment = findOne<Deployment>(manifests, 'Deployment');
  });

  const container = () => deployment.spec.template.spec.containers[0];

  it('names every object mcp-client, in mcp-system; one pod means no PodDisruptionBudget', () => {
    const appObjects = manifests.filter((manifest) => manifest.kind !== 'Pod');
    expect(appObjects.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'Service',
      'ServiceAccount',
    ]);
    for (const manifest of appObjects) {
      expect(manifest.metadata.name).toBe('mcp-client');
      expect(manifest.metadata.namespace).toBe('mcp-system');
      expect(manifest.metadata.labels?.['app.kubernetes.io/name']).toBe('mcp-client');
    }
  });

  it('has the service account of the federated credential subject, annotated for workload identity', () => {
    const serviceAccount = findOne<ServiceAccount>(manifests, 'ServiceAccount');
    expect(`system:serviceaccount:${serviceAccount.metadata.namespace}:${serviceAccount.metadata.name}`).toBe(
      'system:serviceaccount:mcp-system:mcp-client',
    );
    expect(serviceAccount.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': clientId,
      'azure.workload.identity/tenant-id': tenantId,
    });
    expect(deployment.spec.template.spec.serviceAccountName).toBe('mcp-client');
    expect(deployment.spec.template.metadata.labels?.['azure.workload.identity/use']).toBe('true');
    expect(deployment.spec.template.metadata.labels?.['app.kubernetes.io/name']).toBe('mcp-client');
  });

  it('exposes port 8000 as http through a ClusterIP Service', () => {
    const service = findOne<Service>(manifests, 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(container().ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
  });

  it('leaves the replica count to the HPA (1 to 5 pods at 75% CPU)', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    const hpa = findOne<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef.name).toBe('mcp-client');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([1, 5]);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(75);
  });

  // AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST are the webhook's: it sets them as
  // container env, which wins over envFrom.
  it('passes the server URL and the allowed hosts, and no AZURE_* that the webhook sets, as environment variables from a ConfigMap', () => {
    expect(container().envFrom).toEqual([{ configMapRef: { name: 'mcp-client' } }]);
    expect(findOne<ConfigMap>(manifests, 'ConfigMap').data).toEqual({
      PORT: '8000',
      MCP_SERVER_URL: 'http://mcp-server:8000',
      LOG_LEVEL: 'INFO',
      MCP_CLIENT_ALLOWED_HOSTS:
        'localhost,127.0.0.1,[::1],mcp-client,mcp-client.mcp-system,mcp-client.mcp-system.svc,mcp-client.mcp-system.svc.cluster.local',
    });
  });

  it('sets MCP_SERVER_SCOPE only when azure.serverScope is given', () => {
    const configMap = findOne<ConfigMap>(
      render('mcp-client', { ...guide, set: { 'azure.serverScope': 'api://mcp-server/.default' } }),
      'ConfigMap',
    );
    expect(configMap.data['MCP_SERVER_SCOPE']).toBe('api://mcp-server/.default');
  });

  it('sets the limits on what the MCP server sends and callers nest only when given (the app has the defaults)', () => {
    const configMap = findOne<ConfigMap>(render('mcp-client', { ...guide, set: { 'app.maxResponseBytes': '1048576', 'app.toolArgumentsMaxDepth': '32' } }), 'ConfigMap');
    expect(configMap.data).toMatchObject({ MCP_MAX_RESPONSE_BYTES: '1048576', TOOL_ARGUMENTS_MAX_DEPTH: '32' });
    expect(helmFailure(templateArgs('mcp-client', { ...guide, set: { 'app.toolArgumentsMaxDepth': 0 } }))).toContain("at '/app/toolArgumentsMaxDepth'");
    expect(helmFailure(templateArgs('mcp-client', { ...guide, setString: { 'app.maxResponseBytes': 'lots' } }))).toContain("at '/app/maxResponseBytes'");
  });

  it('runs the guide image with its resources, probes and shutdown settings', () => {
    expect(container().image).toBe('contosomcp.azurecr.io/mcp-client:1.0.0');
    expect(container().resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(container().startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container().livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container().readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container().lifecycle?.preStop?.exec?.command).toEqual(['sleep', '5']);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(40);
    expect(deployment.spec.strategy?.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });

  it('lets the client reach DNS, Entra ID (443) and the MCP server pods on 8000, and nothing else', () => {
    const policy = findOne<NetworkPolicy>(manifests, 'NetworkPolicy');
    expect(policy.spec.egress).toEqual([
      {
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      { ports: [{ port: 443, protocol: 'TCP' }] },
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } } }],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [{ podSelector: {} }, { podSelector: { matchLabels: { 'mcp-client-client': 'true' } } }],
      },
    ]);
  });

  it("has a helm test pod that checks /tools through the Service, with the app's own image", () => {
    const [testPod] = testPods<Pod>(manifests);
    expect(testPod.spec.containers[0].image).toBe('contosomcp.azurecr.io/mcp-client:1.0.0');
    expect(testPod.spec.containers[0].args).toContain('http://mcp-client:8000/tools');
    expect(testPod.metadata.labels?.['app.kubernetes.io/name']).not.toBe('mcp-client');
  });

  it('tells how to check tool discovery in NOTES.txt', () => {
    const notes = renderNotes('mcp-client', guide);
    for (const line of [
      'kubectl get pods -n mcp-system -l app.kubernetes.io/name=mcp-client',
      'kubectl logs -n mcp-system -l app.kubernetes.io/name=mcp-client -f',
      '"Discovered X tools"',
      'kubectl get sa -n mcp-system mcp-client -o yaml',
      'helm test mcp-client -n mcp-system',
      'AZURE_AUTHORITY_HOST, the last from its own\ncloud setting: expect https://login.microsoftonline.com (azure.authorityHost)',
      "Entra ID on port 443 (https://login.microsoftonline.com),\nthe MCP server's pods on port 8000",
    ]) {
      expect(notes).toContain(line);
    }
  });
});
