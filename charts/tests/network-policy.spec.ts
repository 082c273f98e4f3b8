import { type ChartName, charts, findOne, render } from './support/helm';
import type { NetworkPolicy, NetworkPolicyPeer } from './support/k8s-types';

const policy = (chart: ChartName, set: Record<string, string | boolean>) =>
  findOne<NetworkPolicy>(render(chart, { valuesFiles: [`${chart}-values.yaml`], set }), 'NetworkPolicy');

/** The ports of the egress rules open to any destination, DNS aside. */
const openPorts = (networkPolicy: NetworkPolicy) =>
  (networkPolicy.spec.egress ?? [])
    .filter((rule) => rule.to === undefined)
    .map((rule) => (rule.ports ?? []).map((port) => `${port.port}/${port.protocol}`))
    .filter((ports) => !ports.includes('53/UDP'));

const namespacePeer = (name: string): NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});

describe('mcp-server NetworkPolicy egress to the backend API', () => {
  it.each([
    { url: 'https://api.example.com', ports: [['443/TCP']] },
    { url: 'https://api.example.com/v1', ports: [['443/TCP']] },
    { url: 'https://api.example.com:443', ports: [['443/TCP']] },
    { url: 'http://backend:8080', ports: [['443/TCP'], ['8080/TCP']] },
    { url: 'http://backend.orders.svc.cluster.local', ports: [['443/TCP'], ['80/TCP']] },
    { url: 'https://api.example.com:8443/v1', ports: [['443/TCP'], ['8443/TCP']] },
    { url: 'http://[fd00::10]:9000', ports: [['443/TCP'], ['9000/TCP']] },
  ])('with backendApiUrl $url lets out $ports (Entra ID first)', ({ url, ports }) => {
    expect(openPorts(policy('mcp-server', { 'app.backendApiUrl': url }))).toEqual(ports);
  });
});

describe.each(charts)('%s NetworkPolicy', (chart) => {
  it('lets out Entra ID on the port of azure.authorityHost, not on 443', () => {
    const ports = openPorts(policy(chart, { 'azure.authorityHost': 'https://login.contoso.example:8443' }));
    // The server's https backend (api.example.com) still has its own rule on 443.
    expect(ports).toEqual(chart === 'mcp-server' ? [['8443/TCP'], ['443/TCP']] : [['8443/TCP']]);
  });

  it('admits no ingress controller while ingress is off', () => {
    const from = policy(chart, { 'ingress.enabled': false }).spec.ingress?.[0].from ?? [];
    expect(from).not.toContainEqual(namespacePeer('app-routing-system'));
  });

  it("admits the AKS application routing add-on's namespace when ingress is on", () => {
    const from = policy(chart, { 'ingress.enabled': true, 'app.auth.enabled': true }).spec.ingress?.[0].from ?? [];
    expect(from).toContainEqual(namespacePeer('app-routing-system'));
  });

  it('admits networkPolicy.ingressControllerNamespaces instead, once each', () => {
    const from =
      policy(chart, {
        'ingress.enabled': true,
        'app.auth.enabled': true,
        'networkPolicy.ingressControllerNamespaces': '{ingress-nginx,monitoring}',
        'networkPolicy.allowedNamespaces': '{monitoring}',
      }).spec.ingress?.[0].from ?? [];
    const namespaces = from.flatMap(
      (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? [],
    );
    expect(namespaces).toEqual(['monitoring', 'ingress-nginx']);
  });
});
