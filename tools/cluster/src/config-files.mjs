// The configuration files of the cluster's host processes, written below .cluster/config.
import fs from 'node:fs';
import path from 'node:path';
import { pkiPath } from './pki.mjs';
import {
  apiServerUrl, authorityHost, containerdSocket, dirs, identity, network, nodeName, ports, registryHost,
} from './layout.mjs';

export const configPath = (/** @type {string} */ name) => path.join(dirs.config, name);
export const kubeconfigPath = (/** @type {string} */ name) => path.join(dirs.kubeconfigs, `${name}.kubeconfig`);
export const pauseImage = `${registryHost}/pause:mcp-local`;

function write(/** @type {string} */ file, /** @type {string} */ text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
const json = (/** @type {unknown} */ value) => `${JSON.stringify(value, null, 2)}\n`;

/** A kubeconfig for one client identity (pki/<name>.crt), talking to the API server over TLS. */
export function writeKubeconfig(/** @type {string} */ name) {
  return write(kubeconfigPath(name), json({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'mcp-local', cluster: { server: apiServerUrl, 'certificate-authority': pkiPath('ca.crt') } }],
    users: [{ name, user: { 'client-certificate': pkiPath(`${name}.crt`), 'client-key': pkiPath(`${name}.key`) } }],
    contexts: [{ name: 'mcp-local', context: { cluster: 'mcp-local', user: name } }],
    'current-context': 'mcp-local',
  }));
}

/**
 * containerd: its own root, state, socket, CNI folder and registry hosts, so nothing of the host's
 * own containerd (or podman's CNI files) is read or changed.
 */
export function writeContainerdConfig() {
  // The local registry speaks plain HTTP on loopback (it is what <registry>.azurecr.io stands for).
  write(path.join(dirs.containerdHosts, registryHost, 'hosts.toml'),
    `server = "http://${registryHost}"\n\n[host."http://${registryHost}"]\n  capabilities = ["pull", "resolve"]\n`);
  return write(configPath('containerd.toml'), `version = 2
root = "${dirs.containerdRoot}"
state = "${dirs.containerdState}"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = "${containerdSocket}"

[ttrpc]
  address = "${containerdSocket}.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "${path.join(dirs.containerdState, 'opt')}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  # Root here lacks CAP_SYS_RESOURCE: lowering a process's oom_score_adj (the kubelet asks -998 for
  # sandboxes) is refused and every container would fail to start.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${dirs.cniConf}"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${dirs.containerdHosts}"
`);
}

/** Pods on one bridge; no masquerade, since nothing a pod may reach is beyond this machine. */
export function writeCniConfig() {
  return write(path.join(dirs.cniConf, '10-mcp-local.conflist'), json({
    cniVersion: '0.4.0',
    name: 'mcp-local',
    plugins: [
      {
        type: 'bridge',
        bridge: network.bridge,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: network.podCidr, gateway: network.nodeIp }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: dirs.cniState,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'loopback' },
    ],
  }));
}

export function writeKubeletConfig() {
  // Pods with dnsPolicy Default get this (empty) resolver list rather than the host's.
  const resolvConf = write(configPath('pod-resolv.conf'), '# pods of the local cluster resolve through cluster DNS only\n');
  return write(configPath('kubelet.json'), json({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: network.nodeIp,
    port: ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: pkiPath('ca.crt') } },
    authorization: { mode: 'Webhook' },
    tlsCertFile: pkiPath('kubelet-serving.crt'),
    tlsPrivateKeyFile: pkiPath('kubelet-serving.key'),
    containerRuntimeEndpoint: `unix://${containerdSocket}`,
    cgroupDriver: 'cgroupfs',
    // This host has cgroup v1; kubelets from 1.35 refuse it unless told otherwise.
    failCgroupV1: false,
    failSwapOn: false,
    clusterDNS: [network.dnsServiceIp],
    clusterDomain: network.clusterDomain,
    resolvConf,
    podLogsDir: dirs.podLogs,
    serializeImagePulls: false,
    // The disk is shared with the rest of the machine: evict only when it is really full.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '2%', 'imagefs.available': '2%', 'nodefs.inodesFree': '2%' },
    imageGCHighThresholdPercent: 99,
    imageGCLowThresholdPercent: 98,
    maxPods: 60,
    // The guide's HPAs read CPU from the resource metrics pipeline every 15 s.
    nodeStatusReportFrequency: '10s',
  }));
}

export function writeKubeProxyConfig() {
  return write(configPath('kube-proxy.json'), json({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: kubeconfigPath('kube-proxy') },
    hostnameOverride: nodeName,
    clusterCIDR: network.podCidr,
    bindAddress: '127.0.0.1',
    healthzBindAddress: '127.0.0.1:10256',
    metricsBindAddress: '127.0.0.1:10249',
    // Leaves route_localnet and the conntrack sysctls of the host alone.
    iptables: { localhostNodePorts: false },
    conntrack: { maxPerCore: 0 },
    nodePortAddresses: [network.podCidr],
  }));
}

/**
 * CoreDNS on the node address: cluster names from the API server, nothing else (there is no
 * `forward` plugin, so a pod that asks for login.microsoftonline.com gets no answer).
 */
export function writeCorefile() {
  return write(configPath('Corefile'), `.:53 {
    bind ${network.nodeIp}
    errors
    health 127.0.0.1:${ports.coreDnsHealth}
    ready 127.0.0.1:${ports.coreDnsReady}
    kubernetes ${network.clusterDomain} in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfigPath('coredns')} mcp-local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    cache 30
    loop
    reload
    loadbalance
}
`);
}

/**
 * The webhook takes AZURE_AUTHORITY_HOST from its cloud setting; AzureStackCloud reads the
 * environment from a file, the documented way to point it at another Entra endpoint.
 */
export function writeWebhookEnvironment() {
  return write(configPath('azure-environment.json'), json({
    name: 'AzureStackCloud',
    activeDirectoryEndpoint: `${authorityHost}/`,
    resourceManagerEndpoint: 'https://management.invalid/',
    managementPortalURL: 'https://portal.invalid/',
    tokenAudience: 'https://management.invalid/',
    resourceIdentifiers: {},
    tenantId: identity.tenantId,
  }));
}

export function writeRegistryConfig() {
  return write(configPath('registry.yml'), `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${dirs.registry}
  delete:
    enabled: true
http:
  addr: ${registryHost}
  # no secret is needed on loopback; set so the registry does not warn about a random one
  secret: mcp-local-registry
`);
}

