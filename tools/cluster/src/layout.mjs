// Where the local cluster keeps its files and which addresses it uses: the one place both are set.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const clusterToolsDir = path.join(repoRoot, '.tools/cluster');
export const binDir = path.join(clusterToolsDir, 'bin');
export const helmBinDir = path.join(repoRoot, '.tools/bin');

/**
 * Everything the cluster creates on the host lives below this folder (git-ignored);
 * MCP_CLUSTER_STATE_DIR moves it (the unit tests use a temporary one).
 */
export const stateDir = path.resolve(process.env.MCP_CLUSTER_STATE_DIR ?? path.join(repoRoot, '.cluster'));
export const dirs = {
  pki: path.join(stateDir, 'pki'),
  kubeconfigs: path.join(stateDir, 'kubeconfigs'),
  config: path.join(stateDir, 'config'),
  logs: path.join(stateDir, 'logs'),
  pids: path.join(stateDir, 'pids'),
  etcd: path.join(stateDir, 'etcd'),
  kubelet: path.join(stateDir, 'kubelet'),
  containerdRoot: path.join(stateDir, 'containerd/root'),
  containerdState: path.join(stateDir, 'containerd/state'),
  containerdHosts: path.join(stateDir, 'containerd/certs.d'),
  cniConf: path.join(stateDir, 'cni/net.d'),
  cniState: path.join(stateDir, 'cni/state'),
  podLogs: path.join(stateDir, 'pod-logs'),
  registry: path.join(stateDir, 'registry'),
  emulator: path.join(stateDir, 'entra-emulator'),
  webhookCerts: path.join(stateDir, 'webhook-certs'),
  run: path.join(stateDir, 'run'),
};
export const envFile = path.join(stateDir, 'env');
export const adminKubeconfig = path.join(dirs.kubeconfigs, 'admin.kubeconfig');
export const containerdSocket = path.join(dirs.run, 'containerd.sock');

export const nodeName = 'mcp-local';
/**
 * One bridge carries the pods; its gateway address is also the node's address, so that every
 * host service a pod talks to (the API server, the emulator, the backend, DNS) is on a bridge this
 * cluster created, never on an interface of the machine's own network.
 */
export const network = {
  bridge: 'mcpcni0',
  podCidr: '10.244.0.0/24',
  nodeIp: '10.244.0.1',
  bridgeAddress: '10.244.0.1/24',
  serviceCidr: '10.96.0.0/16',
  apiServiceIp: '10.96.0.1',
  dnsServiceIp: '10.96.0.10',
  clusterDomain: 'cluster.local',
};

export const ports = {
  apiServer: 6443,
  etcdClient: 2379,
  etcdPeer: 2380,
  kubelet: 10250,
  registry: 5000,
  entraEmulator: 8443,
  sampleBackend: 8081,
  metricsServer: 4443,
  webhook: 9443,
  coreDnsHealth: 8180,
  coreDnsReady: 8181,
};

export const apiServerUrl = `https://${network.nodeIp}:${ports.apiServer}`;
/** What the emulator trusts as the cluster's OIDC issuer (the AKS OIDC issuer URL stands here). */
export const serviceAccountIssuer = `https://${network.nodeIp}:${ports.apiServer}`;
export const registryHost = `127.0.0.1:${ports.registry}`;
export const authorityHost = `https://${network.nodeIp}:${ports.entraEmulator}`;
export const backendApiUrl = `http://${network.nodeIp}:${ports.sampleBackend}`;

/** The identifiers the emulator is configured with (tools/dev/entra-emulator/config/cluster.json). */
export const identity = {
  tenantId: '00000000-0000-0000-0000-000000000001',
  uamiName: 'mcp-system-uami',
  uamiClientId: '11111111-1111-1111-1111-111111111111',
  backendScope: 'api://mcp-sample-backend/.default',
  namespace: 'mcp-system',
  serviceAccounts: ['mcp-server', 'mcp-client'],
};

export function ensureDirs() {
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
}

/** A program the cluster runs: one of ours (.tools/cluster/bin, .tools/bin), else the system's (Debian's). */
export function program(name) {
  for (const dir of [binDir, helmBinDir, '/usr/bin', '/usr/sbin', '/usr/local/bin', '/sbin', '/bin']) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} is not installed: run tools/cluster/scripts/install-cluster-tools.sh`);
}
