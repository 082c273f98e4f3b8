// The cluster's certificates, made with openssl: one CA for everything that authenticates to the
// API server or is served by it, a front-proxy CA for the aggregation layer (metrics-server), and
// the service-account signing key. Made once per `up` on a fresh state folder; kept across restarts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dirs, network, nodeName } from './layout.mjs';

const DAYS = '365';
const openssl = (/** @type {string[]} */ args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export const pkiPath = (/** @type {string} */ name) => path.join(dirs.pki, name);

function makeCa(/** @type {string} */ name, /** @type {string} */ commonName) {
  if (fs.existsSync(pkiPath(`${name}.crt`))) return;
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', pkiPath(`${name}.key`)]);
  openssl(['req', '-x509', '-new', '-key', pkiPath(`${name}.key`), '-subj', `/CN=${commonName}`, '-days', DAYS, '-out', pkiPath(`${name}.crt`),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
}

/**
 * A key and a certificate signed by `ca`. `subject` is the X.509 subject (/CN=user/O=group: how the
 * API server reads user and groups); `altNames` makes it a serving certificate.
 */
function makeCert(/** @type {{ name: string, ca: string, subject: string, altNames?: string[], client?: boolean }} */ spec) {
  if (fs.existsSync(pkiPath(`${spec.name}.crt`))) return;
  const key = pkiPath(`${spec.name}.key`);
  const csr = pkiPath(`${spec.name}.csr`);
  const ext = pkiPath(`${spec.name}.ext`);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  openssl(['req', '-new', '-key', key, '-subj', spec.subject, '-out', csr]);
  const usages = [spec.client !== false ? 'clientAuth' : '', spec.altNames ? 'serverAuth' : ''].filter(Boolean).join(',');
  const lines = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usages}`];
  if (spec.altNames) lines.push(`subjectAltName=${spec.altNames.join(',')}`);
  fs.writeFileSync(ext, `${lines.join('\n')}\n`);
  openssl(['x509', '-req', '-in', csr, '-CA', pkiPath(`${spec.ca}.crt`), '-CAkey', pkiPath(`${spec.ca}.key`), '-CAcreateserial',
    '-days', DAYS, '-extfile', ext, '-out', pkiPath(`${spec.name}.crt`)]);
  fs.rmSync(csr);
  fs.rmSync(ext);
}

/** Client identities of the components; host add-ons act with the control plane's trust. */
export const clientIdentities = {
  admin: '/CN=mcp-local-admin/O=system:masters',
  'kube-controller-manager': '/CN=system:kube-controller-manager',
  'kube-scheduler': '/CN=system:kube-scheduler',
  'kube-proxy': '/CN=system:kube-proxy',
  kubelet: `/CN=system:node:${nodeName}/O=system:nodes`,
  'apiserver-kubelet-client': '/CN=kube-apiserver-kubelet-client/O=system:masters',
  coredns: '/CN=system:coredns/O=system:masters',
  'metrics-server': '/CN=system:metrics-server/O=system:masters',
  'azure-wi-webhook': '/CN=azure-wi-webhook/O=system:masters',
};

export function ensurePki() {
  fs.mkdirSync(dirs.pki, { recursive: true });
  makeCa('ca', 'mcp-local-cluster-ca');
  makeCa('front-proxy-ca', 'mcp-local-front-proxy-ca');
  const local = ['DNS:localhost', 'IP:127.0.0.1', `IP:${network.nodeIp}`];
  makeCert({
    name: 'apiserver',
    ca: 'ca',
    subject: '/CN=kube-apiserver',
    client: false,
    altNames: ['DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', `DNS:kubernetes.default.svc.${network.clusterDomain}`,
      `IP:${network.apiServiceIp}`, ...local],
  });
  makeCert({ name: 'kubelet-serving', ca: 'ca', subject: `/CN=${nodeName}`, client: false, altNames: [`DNS:${nodeName}`, ...local] });
  makeCert({ name: 'metrics-server-serving', ca: 'ca', subject: '/CN=metrics-server', client: false,
    altNames: ['DNS:metrics-server.kube-system.svc', ...local] });
  makeCert({ name: 'webhook-serving', ca: 'ca', subject: '/CN=azure-wi-webhook', client: false, altNames: local });
  for (const component of ['kube-controller-manager', 'kube-scheduler']) {
    makeCert({ name: `${component}-serving`, ca: 'ca', subject: `/CN=${component}`, client: false, altNames: local });
  }
  for (const [name, subject] of Object.entries(clientIdentities)) makeCert({ name, ca: 'ca', subject });
  makeCert({ name: 'front-proxy-client', ca: 'front-proxy-ca', subject: '/CN=front-proxy-client' });
  if (!fs.existsSync(pkiPath('service-account.key'))) {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pkiPath('service-account.key')]);
    openssl(['pkey', '-in', pkiPath('service-account.key'), '-pubout', '-out', pkiPath('service-account.pub')]);
  }
}
