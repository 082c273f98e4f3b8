// .cluster/env: what a person sources to type the guide against the local cluster.
import fs from 'node:fs';
import path from 'node:path';
import { emulatorCaPath } from './azure-stand-ins.mjs';
import {
  adminKubeconfig, authorityHost, backendApiUrl, binDir, envFile, helmBinDir, identity, registryHost, serviceAccountIssuer, stateDir,
} from './layout.mjs';

export const localEntraValuesFile = path.join(stateDir, 'values/local-entra.yaml');

/**
 * The values both charts need for an Entra endpoint that is not Microsoft's public cloud, here the
 * emulator: its CA (a CA bundle, as behind a TLS-inspecting proxy), no MSAL instance discovery (it
 * asks login.microsoftonline.com, which pods of this cluster cannot resolve), and its port for the
 * NetworkPolicy's Entra egress rule.
 */
export function writeLocalEntraValues() {
  fs.mkdirSync(path.dirname(localEntraValuesFile), { recursive: true });
  fs.writeFileSync(localEntraValuesFile, `# The local cluster's Entra ID is the emulator. Create the ConfigMap with its CA first,
#   kubectl create configmap extra-ca-bundle -n mcp-system --from-file=ca.crt=$CA_BUNDLE
# then add --values ${localEntraValuesFile} to the guide's helm commands.
azure:
  authorityHost: ${JSON.stringify(authorityHost)}
extraEnv:
  - name: NODE_EXTRA_CA_CERTS
    value: /etc/ssl/extra-ca/ca.crt
  - name: AZURE_DISABLE_INSTANCE_DISCOVERY
    value: "true"
extraVolumes:
  - name: extra-ca
    configMap:
      name: extra-ca-bundle
extraVolumeMounts:
  - name: extra-ca
    mountPath: /etc/ssl/extra-ca
    readOnly: true
`);
  return localEntraValuesFile;
}

export function writeEnvFile() {
  const values = {
    KUBECONFIG: adminKubeconfig,
    REGISTRY: registryHost,
    TENANT_ID: identity.tenantId,
    UAMI_ID: identity.uamiClientId,
    SERVER_CLIENT_ID: identity.uamiClientId,
    CLIENT_CLIENT_ID: identity.uamiClientId,
    AUTHORITY_HOST: authorityHost,
    AKS_OIDC_ISSUER: serviceAccountIssuer,
    BACKEND_API_URL: backendApiUrl,
    BACKEND_SCOPE: identity.backendScope,
    CA_BUNDLE: emulatorCaPath(),
    LOCAL_ENTRA_VALUES: localEntraValuesFile,
  };
  // `up` again on a running cluster keeps the images `images` pushed (the registry keeps them too).
  const imageTag = fs.existsSync(envFile) ? readEnvFile().IMAGE_TAG : undefined;
  const lines = Object.entries(values).map(([name, value]) => `export ${name}=${JSON.stringify(value)}`);
  fs.writeFileSync(envFile, `# The local cluster (npm run cluster -- up). Source it: . .cluster/env
${lines.join('\n')}
export PATH="${binDir}:${helmBinDir}:$PATH"
`);
  if (imageTag) setEnvVariable('IMAGE_TAG', imageTag);
  return envFile;
}

/** Adds or replaces one variable in .cluster/env. */
export function setEnvVariable(/** @type {string} */ name, /** @type {string} */ value) {
  const kept = fs.readFileSync(envFile, 'utf8').split('\n').filter((line) => !line.startsWith(`export ${name}=`) && line !== '');
  fs.writeFileSync(envFile, `${[...kept, `export ${name}=${JSON.stringify(value)}`].join('\n')}\n`);
}

/** The variables of .cluster/env (PATH resolved against this process's). */
export function readEnvFile() {
  const env = {};
  for (const match of fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="?(.*?)"?$/gm)) {
    env[match[1]] = match[2].replace('$PATH', process.env.PATH ?? '');
  }
  return env;
}
