// The cluster's host processes, in the order `up` starts them, each with its command line and the
// check that says it is serving.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { configPath, kubeconfigPath } from './config-files.mjs';
import {
  containerdSocket, dirs, identity, network, nodeName, ports, program, registryHost, serviceAccountIssuer,
} from './layout.mjs';
import { pkiPath } from './pki.mjs';

/** GET over TLS with the admin client certificate; resolves to the status code. */
function probeTls(/** @type {string} */ url, /** @type {{ clientCert?: string }} */ options = {}) {
  const name = options.clientCert ?? 'admin';
  return new Promise((resolve) => {
    const req = https.get(url, {
      ca: fs.readFileSync(pkiPath('ca.crt')),
      cert: fs.readFileSync(pkiPath(`${name}.crt`)),
      key: fs.readFileSync(pkiPath(`${name}.key`)),
      timeout: 2000,
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

function probeHttp(/** @type {string} */ url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

const apiServer = `https://${network.nodeIp}:${ports.apiServer}`;
const componentKubeconfigArgs = (/** @type {string} */ name) => [
  `--kubeconfig=${kubeconfigPath(name)}`,
  `--authentication-kubeconfig=${kubeconfigPath(name)}`,
  `--authorization-kubeconfig=${kubeconfigPath(name)}`,
];
/** A serving certificate from the cluster CA, so that health checks can verify it. */
const servingCertArgs = (/** @type {string} */ name) => [`--tls-cert-file=${pkiPath(`${name}-serving.crt`)}`, `--tls-private-key-file=${pkiPath(`${name}-serving.key`)}`];

/**
 * @typedef {{ name: string, command: string, args: string[], env?: Record<string, string>,
 *   ready: () => Promise<boolean>, timeoutMs?: number }} Component
 * @returns {Component[]}
 */
export function components() {
  return [
    {
      name: 'registry',
      command: program('registry'),
      args: ['serve', configPath('registry.yml')],
      ready: async () => (await probeHttp(`http://${registryHost}/v2/`)) === 200,
    },
    {
      name: 'etcd',
      command: program('etcd'),
      args: [
        '--name=mcp-local',
        `--data-dir=${dirs.etcd}`,
        `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
        `--initial-cluster=mcp-local=http://127.0.0.1:${ports.etcdPeer}`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        '--quota-backend-bytes=2147483648',
        '--log-level=warn',
      ],
      ready: async () => (await probeHttp('http://127.0.0.1:2381/health')) === 200,
    },
    {
      name: 'kube-apiserver',
      command: program('kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
        `--bind-address=${network.nodeIp}`,
        `--advertise-address=${network.nodeIp}`,
        `--secure-port=${ports.apiServer}`,
        `--service-cluster-ip-range=${network.serviceCidr}`,
        `--client-ca-file=${pkiPath('ca.crt')}`,
        `--tls-cert-file=${pkiPath('apiserver.crt')}`,
        `--tls-private-key-file=${pkiPath('apiserver.key')}`,
        `--kubelet-client-certificate=${pkiPath('apiserver-kubelet-client.crt')}`,
        `--kubelet-client-key=${pkiPath('apiserver-kubelet-client.key')}`,
        `--kubelet-certificate-authority=${pkiPath('ca.crt')}`,
        '--kubelet-preferred-address-types=InternalIP',
        `--service-account-issuer=${serviceAccountIssuer}`,
        `--service-account-key-file=${pkiPath('service-account.pub')}`,
        `--service-account-signing-key-file=${pkiPath('service-account.key')}`,
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        `--requestheader-client-ca-file=${pkiPath('front-proxy-ca.crt')}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        `--proxy-client-cert-file=${pkiPath('front-proxy-client.crt')}`,
        `--proxy-client-key-file=${pkiPath('front-proxy-client.key')}`,
        // metrics-server runs on the host: the aggregator dials its endpoint, not a Service IP.
        '--enable-aggregator-routing=true',
        '--profiling=false',
        '--v=1',
      ],
      ready: async () => (await probeTls(`${apiServer}/readyz`)) === 200,
      timeoutMs: 120_000,
    },
    {
      name: 'kube-controller-manager',
      command: program('kube-controller-manager'),
      args: [
        ...componentKubeconfigArgs('kube-controller-manager'),
        ...servingCertArgs('kube-controller-manager'),
        '--bind-address=127.0.0.1',
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--cluster-signing-cert-file=${pkiPath('ca.crt')}`,
        `--cluster-signing-key-file=${pkiPath('ca.key')}`,
        `--root-ca-file=${pkiPath('ca.crt')}`,
        `--service-account-private-key-file=${pkiPath('service-account.key')}`,
        `--service-cluster-ip-range=${network.serviceCidr}`,
        '--v=1',
      ],
      ready: async () => (await probeTls('https://127.0.0.1:10257/healthz')) === 200,
    },
    {
      name: 'kube-scheduler',
      command: program('kube-scheduler'),
      args: [...componentKubeconfigArgs('kube-scheduler'), ...servingCertArgs('kube-scheduler'), '--bind-address=127.0.0.1', '--leader-elect=false', '--v=1'],
      ready: async () => (await probeTls('https://127.0.0.1:10259/healthz')) === 200,
    },
    {
      name: 'containerd',
      command: program('containerd'),
      args: ['--config', configPath('containerd.toml')],
      ready: async () => fs.existsSync(containerdSocket),
    },
    {
      name: 'kubelet',
      command: program('kubelet'),
      args: [
        `--config=${configPath('kubelet.json')}`,
        `--kubeconfig=${kubeconfigPath('kubelet')}`,
        `--root-dir=${dirs.kubelet}`,
        `--hostname-override=${nodeName}`,
        `--node-ip=${network.nodeIp}`,
        '--v=1',
      ],
      ready: async () => (await probeHttp('http://127.0.0.1:10248/healthz')) === 200,
      timeoutMs: 120_000,
    },
    {
      name: 'kube-proxy',
      command: program('kube-proxy'),
      args: [`--config=${configPath('kube-proxy.json')}`, '--v=1'],
      ready: async () => (await probeHttp('http://127.0.0.1:10256/healthz')) === 200,
    },
    {
      name: 'coredns',
      command: program('coredns'),
      args: ['-conf', configPath('Corefile')],
      ready: async () => (await probeHttp(`http://127.0.0.1:${ports.coreDnsReady}/ready`)) === 200,
    },
    {
      name: 'metrics-server',
      command: program('metrics-server'),
      args: [
        ...componentKubeconfigArgs('metrics-server'),
        `--bind-address=${network.nodeIp}`,
        `--secure-port=${ports.metricsServer}`,
        `--tls-cert-file=${pkiPath('metrics-server-serving.crt')}`,
        `--tls-private-key-file=${pkiPath('metrics-server-serving.key')}`,
        `--requestheader-client-ca-file=${pkiPath('front-proxy-ca.crt')}`,
        `--kubelet-certificate-authority=${pkiPath('ca.crt')}`,
        '--kubelet-preferred-address-types=InternalIP',
        '--kubelet-use-node-status-port',
        '--metric-resolution=15s',
      ],
      ready: async () => (await probeTls(`https://${network.nodeIp}:${ports.metricsServer}/readyz`)) === 200,
      timeoutMs: 120_000,
    },
    {
      name: 'azure-wi-webhook',
      command: program('azure-wi-webhook'),
      args: [
        `--webhook-cert-dir=${dirs.webhookCerts}`,
        '--disable-cert-rotation',
        '--health-addr=127.0.0.1:9440',
        '--metrics-addr=127.0.0.1:8095',
        '--log-level=info',
      ],
      env: {
        KUBECONFIG: kubeconfigPath('azure-wi-webhook'),
        AZURE_TENANT_ID: identity.tenantId,
        AZURE_ENVIRONMENT: 'AzureStackCloud',
        AZURE_ENVIRONMENT_FILEPATH: configPath('azure-environment.json'),
        POD_NAMESPACE: 'azure-workload-identity-system',
      },
      ready: async () => (await probeHttp('http://127.0.0.1:9440/readyz')) === 200,
    },
  ];
}

/** The webhook reads tls.crt/tls.key from its cert dir (controller-runtime's names). */
export function prepareWebhookCerts() {
  fs.mkdirSync(dirs.webhookCerts, { recursive: true });
  fs.copyFileSync(pkiPath('webhook-serving.crt'), path.join(dirs.webhookCerts, 'tls.crt'));
  fs.copyFileSync(pkiPath('webhook-serving.key'), path.join(dirs.webhookCerts, 'tls.key'));
}

