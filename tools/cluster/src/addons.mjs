// API objects that connect the host add-ons (CoreDNS, metrics-server, the workload identity
// webhook) to the cluster, and the one that publishes the service-account issuer.
import fs from 'node:fs';
import { network, ports } from './layout.mjs';
import { pkiPath } from './pki.mjs';

/** A selector-less Service whose one endpoint is a process on the node address. */
function hostService(/** @type {{ name: string, clusterIP?: string, ports: Array<{ name: string, port: number, targetPort: number, protocol?: string }> }} */ spec) {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: spec.name, namespace: 'kube-system', labels: { 'app.kubernetes.io/part-of': 'mcp-local-cluster' } },
      spec: {
        ...(spec.clusterIP ? { clusterIP: spec.clusterIP } : {}),
        ports: spec.ports.map(({ name, port, targetPort, protocol = 'TCP' }) => ({ name, port, targetPort, protocol })),
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${spec.name}-host`, namespace: 'kube-system', labels: { 'kubernetes.io/service-name': spec.name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [network.nodeIp], conditions: { ready: true } }],
      ports: spec.ports.map(({ name, targetPort, protocol = 'TCP' }) => ({ name, port: targetPort, protocol })),
    },
  ];
}

export function addonManifests() {
  const caBundle = fs.readFileSync(pkiPath('ca.crt')).toString('base64');
  return [
    // CoreDNS runs on the host and answers on the node address; pods ask the usual Service IP.
    ...hostService({
      name: 'kube-dns',
      clusterIP: network.dnsServiceIp,
      ports: [
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, targetPort: 53 },
      ],
    }),
    ...hostService({ name: 'metrics-server', ports: [{ name: 'https', port: 443, targetPort: ports.metricsServer }] }),
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
        caBundle,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
    // As AKS's OIDC issuer does, the discovery document and keys are public: Entra (here, the
    // emulator) fetches them without credentials.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'mcp-local:service-account-issuer-discovery' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }],
    },
    // The upstream webhook's own configuration (deploy/azure-wi-webhook.yaml of the module), with a
    // URL in place of the in-cluster Service, since the webhook runs on the host.
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'azure-wi-webhook-mutating-webhook-configuration', labels: { 'azure-workload-identity.io/system': 'true' } },
      webhooks: [
        {
          name: 'mutation.azure-workload-identity.io',
          admissionReviewVersions: ['v1', 'v1beta1'],
          clientConfig: { url: `https://${network.nodeIp}:${ports.webhook}/mutate-v1-pod`, caBundle },
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          objectSelector: { matchLabels: { 'azure.workload.identity/use': 'true' } },
          reinvocationPolicy: 'IfNeeded',
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
          sideEffects: 'None',
        },
      ],
    },
  ];
}
