// Entra ID and the backend API for the cluster: the repo's emulator and sample backend, run on the
// host and reached by pods at the node address. The emulator trusts the cluster's service-account
// issuer through its OIDC discovery (as Entra trusts an AKS OIDC issuer) once the guide's Step 4
// federated credentials exist; `up` creates them through its control API.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startDaemon, waitFor, logFile } from './daemons.mjs';
import { authorityHost, backendApiUrl, dirs, identity, network, ports, repoRoot, serviceAccountIssuer } from './layout.mjs';
import { pkiPath } from './pki.mjs';

export const emulatorCaPath = () => path.join(dirs.emulator, 'ca.pem');
const controlUrl = `https://127.0.0.1:${ports.entraEmulator}/_control`;

/** A request to the emulator over loopback (its control API answers nobody else). */
function emulatorRequest(/** @type {string} */ method, /** @type {string} */ url, /** @type {unknown} */ body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(url, {
      method,
      ca: fs.readFileSync(emulatorCaPath()),
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      timeout: 5000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 5 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function startAzureStandIns() {
  startDaemon({
    name: 'entra-emulator',
    command: process.execPath,
    args: [path.join(repoRoot, 'tools/dev/entra-emulator/src/main.mjs'), path.join(repoRoot, 'tools/dev/entra-emulator/config/cluster.json')],
    env: {
      PORT: String(ports.entraEmulator),
      HOST: '127.0.0.1',
      EXTRA_HOSTS: network.nodeIp,
      ENTRA_EMULATOR_HOSTNAME: network.nodeIp,
      STATE_DIR: dirs.emulator,
      // To fetch the cluster issuer's discovery document over the API server's TLS.
      NODE_EXTRA_CA_CERTS: pkiPath('ca.crt'),
    },
  });
  await waitFor('the Entra emulator', async () => fs.existsSync(emulatorCaPath()) && (await emulatorRequest('GET', `${controlUrl}/stats`)), {
    timeoutMs: 30_000,
    log: logFile('entra-emulator'),
  });
  startDaemon({
    name: 'sample-backend',
    command: process.execPath,
    args: [path.join(repoRoot, 'tools/dev/sample-backend/src/main.mjs')],
    env: {
      PORT: String(ports.sampleBackend),
      HOST: network.nodeIp,
      BACKEND_AUTH_JWKS_URI: `${authorityHost}/${identity.tenantId}/discovery/v2.0/keys`,
      BACKEND_AUTH_ISSUER: `${authorityHost}/${identity.tenantId}/v2.0`,
      BACKEND_AUTH_AUDIENCE: 'api://mcp-sample-backend',
      NODE_EXTRA_CA_CERTS: emulatorCaPath(),
      LOG_REQUESTS: 'false',
    },
  });
  await waitFor('the sample backend', async () => (await fetch(`${backendApiUrl}/health`)).ok, { timeoutMs: 30_000, log: logFile('sample-backend') });
}

/** The guide's Step 4, one credential per service account, named as the guide names them. */
export const federatedCredentials = () =>
  identity.serviceAccounts.map((serviceAccount) => ({
    identity: identity.uamiName,
    name: `${serviceAccount}-credential`,
    issuer: serviceAccountIssuer,
    subject: `system:serviceaccount:${identity.namespace}:${serviceAccount}`,
    audiences: ['api://AzureADTokenExchange'],
  }));

export async function createFederatedCredentials() {
  for (const credential of federatedCredentials()) await emulatorRequest('POST', `${controlUrl}/federated-credentials`, credential);
}

/** What `createFederatedCredentials` did, as the `az` commands of the guide's Step 4. */
export function federatedCredentialCommands() {
  return federatedCredentials().map((credential) =>
    [
      'az identity federated-identity-credential create',
      `--resource-group "$RG" --identity-name ${credential.identity}`,
      `--name ${credential.name}`,
      `--issuer ${credential.issuer}`,
      `--subject ${credential.subject}`,
      `--audience ${credential.audiences[0]}`,
    ].join(' \\\n    '),
  );
}

export const listFederatedCredentials = () => emulatorRequest('GET', `${controlUrl}/federated-credentials`);
