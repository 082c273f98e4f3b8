import { findAll, findOne, render, renderText } from './support/helm';
import type {
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Manifest,
  NetworkPolicy,
  PodDisruptionBudget,
  Service,
  ServiceAccount,
} from './support/k8s-types';
import { renderNotes } from './support/notes';

// The guide's Step 5: `helm install mcp-server ... --namespace mcp-system --values mcp-server-values.yaml`.
const guide = { release: 'mcp-server', namespace: 'mcp-system', valuesFiles: ['mcp-server-values.yaml'] };
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0f4d6a2e-5b1c-4f3e-9a7d-8c2b1e6f4a90';

describe('mcp-server chart with the guide values (Step 5)', () => {
  let manifests: Manifest[];
  let deployment: Deployment;

  beforeAll(() => {
    manifests = render('mcp-server', guide);
    deployment = findOne<Deployment>(manifests, 'Deployment');
  });

  const container = () => deployment.spec.template.spec.containers[0];

  it('names every object mcp-server, in mcp-system', () => {
    const appObjects = manifests.filter((manifest) => manifest.kind !== 'Pod');
    expect(appObjects.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    for (const manifest of appObjects) {
      expect(manifest.metadata.name).toBe('mcp-server');
      expect(manifest.metadata.namespace).toBe('mcp-system');
      expect(manifest.metadata.labels?.['app.kubernetes.io/name']).toBe('mcp-server');
    }
  });

  it('has the service account of the federated credential subject, annotated for workload identity', () => {
    const serviceAccount = findOne<ServiceAccount>(manifests, 'ServiceAccount');
    expect(`system:serviceaccount:${serviceAccount.metadata.namespace}:${serviceAccount.metadata.name}`).toBe(
      'system:serviceaccount:mcp-system:mcp-server',
    );
    expect(serviceAccount.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': clientId,
      'azure.workload.identity/tenant-id': tenantId,
    });
    expect(deployment.spec.template.spec.serviceAccountName).toBe('mcp-server');
  });

  it('labels the pods for the workload identity webhook and the guide kubectl selectors', () => {
    const labels = deployment.spec.template.metadata.labels ?? {};
    expect(labels['azure.workload.identity/use']).toBe('true');
    expect(labels['app.kubernetes.io/name']).toBe('mcp-server');
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'mcp-server',
      'app.kubernetes.io/instance': 'mcp-server',
    });
  });

  it('exposes port 8000 as http through a ClusterIP Service', () => {
    const service = findOne<Service>(manifests, 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(container().ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
  });

  it('runs the guide image with its resources', () => {
    expect(container().image).toBe('contosomcp.azurecr.io/mcp-server:1.0.0');
    expect(container().resources).toEqual({
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '1000m', memory: '1Gi' },
    });
  });

  it('leaves the replica count to the HPA: no replicas field', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    const hpa = findOne<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mcp-server' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
  });

  // AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST are the webhook's: it sets them as
  // container env, which wins over envFrom.
  it('passes the app settings, and no AZURE_* that the webhook sets, as environment variables from a ConfigMap', () => {
    const configMap = findOne<ConfigMap>(manifests, 'ConfigMap');
    expect(container().envFrom).toEqual([{ configMapRef: { name: 'mcp-server' } }]);
    expect(configMap.data).toEqual({
      PORT: '8000',
      LOG_LEVEL: 'INFO',
      BACKEND_API_URL: 'https://api.example.com',
      BACKEND_API_TIMEOUT: '10',
      READINESS_CHECK_BACKEND: 'true',
      READINESS_CACHE_TTL: '1',
      MCP_MAX_STREAMS: '1000',
      MCP_MAX_STREAMS_PER_CALLER: '10',
      MCP_STREAM_MAX_LIFETIME: '3600',
      AZURE_SCOPES: 'https://management.azure.com/.default',
      MCP_ALLOWED_HOSTS:
        'localhost,127.0.0.1,[::1],mcp-server,mcp-server.mcp-system,mcp-server.mcp-system.svc,mcp-server.mcp-system.svc.cluster.local',
    });
  });

  it('passes the stream bounds and the readiness cache time to the app', () => {
    const configMap = findOne<ConfigMap>(
      render('mcp-server', {
        ...guide,
        set: { 'app.streams.max': 200, 'app.streams.maxPerCaller': 2, 'app.streams.maxLifetimeSeconds': 600, 'app.readinessCacheTtl': 0 },
      }),
      'ConfigMap',
    );
    expect(configMap.data).toMatchObject({ MCP_MAX_STREAMS: '200', MCP_MAX_STREAMS_PER_CALLER: '2', MCP_STREAM_MAX_LIFETIME: '600', READINESS_CACHE_TTL: '0' });
  });

  it('joins several scopes with commas into AZURE_SCOPES', () => {
    const configMap = findOne<ConfigMap>(
      render('mcp-server', {
        ...guide,
        set: { 'azure.scopes': '{api://backend/.default,https://graph.microsoft.com/.default}' },
      }),
      'ConfigMap',
    );
    expect(configMap.data['AZURE_SCOPES']).toBe('api://backend/.default,https://graph.microsoft.com/.default');
  });

  it('passes app.publicUrl as MCP_PUBLIC_URL only when set, and refuses one with a query', () => {
    expect(findOne<ConfigMap>(manifests, 'ConfigMap').data['MCP_PUBLIC_URL']).toBeUndefined();
    const configMap = findOne<ConfigMap>(render('mcp-server', { ...guide, set: { 'app.publicUrl': 'https://mcp.contoso.example' } }), 'ConfigMap');
    expect(configMap.data['MCP_PUBLIC_URL']).toBe('https://mcp.contoso.example');
    expect(() => render('mcp-server', { ...guide, set: { 'app.publicUrl': 'https://mcp.contoso.example/?x=1' } })).toThrow(/publicUrl/);
  });

  it('leaves the federated token path to the webhook', () => {
    expect(renderText('mcp-server', guide)).not.toMatch(/AZURE_FEDERATED_TOKEN_FILE|\/var\/run\/secrets\/azure/);
  });

  it('rolls the pods when the configuration changes, and only then', () => {
    const checksum = (options: Parameters<typeof render>[1]) =>
      findOne<Deployment>(render('mcp-server', options), 'Deployment').spec.template.metadata.annotations?.[
        'checksum/config'
      ];
    const base = checksum(guide);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ ...guide, set: { 'app.logLevel': 'DEBUG' } })).not.toBe(base);
    expect(checksum({ ...guide, set: { 'image.tag': '1.1.0' } })).toBe(base);
  });

  it('probes /health/live for start-up and liveness, /health/ready for readiness, on port http', () => {
    expect(container().startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container().livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container().readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
  });

  it('gives the readiness probe longer than the app gives the backend check (10 s)', () => {
    expect(container().readinessProbe?.timeoutSeconds).toBe(12);
  });

  it('drains gracefully: no unavailable pod during a rollout, preStop sleep, grace period above the drain time', () => {
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(container().lifecycle?.preStop?.exec?.command).toEqual(['sleep', '5']);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(40);
  });

  it('runs as user 10001 with a read-only root filesystem and a writable /tmp', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container().securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container().volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('spreads the pods across zones and nodes without blocking scheduling', () => {
    const constraints = deployment.spec.template.spec.topologySpreadConstraints ?? [];
    expect(constraints.map((constraint) => constraint.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    for (const constraint of constraints) {
      expect(constraint.whenUnsatisfiable).toBe('ScheduleAnyway');
      expect(constraint.maxSkew).toBe(1);
      expect(constraint.labelSelector?.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
    }
  });

  it('lets one pod at a time go in voluntary disruptions, whatever the HPA has scaled to', () => {
    const pdb = findOne<PodDisruptionBudget>(manifests, 'PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec).not.toHaveProperty('minAvailable');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('admits only mcp-client pods (and its test pod) on 8000; lets out only DNS and 443', () => {
    const policy = findOne<NetworkPolicy>(manifests, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-client' } } },
          { podSelector: { matchLabels: { 'mcp-server-client': 'true' } } },
        ],
      },
    ]);
    expect(policy.spec.egress).toEqual([
      {
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      { ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
    const testPod = findAll<Manifest>(manifests, 'Pod')[0];
    expect(testPod.metadata.labels?.['mcp-server-client']).toBe('true');
  });

  it("has a helm test pod that checks /health/ready through the Service, with the app's own image", () => {
    const [testPod] = findAll<Manifest & { spec: { containers: { image: string; args: string[] }[] } }>(
      manifests,
      'Pod',
    );
    expect(testPod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    expect(testPod.spec.containers[0].image).toBe('contosomcp.azurecr.io/mcp-server:1.0.0');
    expect(testPod.spec.containers[0].args).toContain('http://mcp-server:8000/health/ready');
    // Not selected by the Service or the ReplicaSet.
    expect(testPod.metadata.labels?.['app.kubernetes.io/name']).not.toBe('mcp-server');
  });

  it("prints the guide's verification commands in NOTES.txt", () => {
    const notes = renderNotes('mcp-server', guide);
    for (const line of [
      'kubectl get pods -n mcp-system -l app.kubernetes.io/name=mcp-server',
      'kubectl get svc -n mcp-system',
      'kubectl logs -n mcp-system -l app.kubernetes.io/name=mcp-server --tail=50',
      'kubectl exec -n mcp-system $POD -- curl -s http://localhost:8000/health/ready',
      'kubectl exec -n mcp-system $POD -- env | grep AZURE',
      'kubectl get sa -n mcp-system mcp-server -o yaml',
      'kubectl port-forward -n mcp-system svc/mcp-server 8000:8000 &',
      'curl http://localhost:8000/health/live',
      'curl http://localhost:8000/health/ready',
      'curl -X POST http://localhost:8000/_mcp/messages',
      `-d '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}'`,
      'kubectl get hpa -n mcp-system mcp-server',
      'helm test mcp-server -n mcp-system',
      'AZURE_AUTHORITY_HOST, the last from its own\ncloud setting: expect https://login.microsoftonline.com (azure.authorityHost)',
      'Entra ID on port 443 (https://login.microsoftonline.com),\nthe backend API on port 443 (https://api.example.com)',
    ]) {
      expect(notes).toContain(line);
    }
    expect(notes).not.toContain('WARNING');
    expect(renderNotes('mcp-server')).toContain('WARNING: azure.clientId is empty');
  });
});
