import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { envFile, repoRoot } from '../../src/layout.mjs';
import { readEnvFile } from '../../src/env-file.mjs';

export interface ClusterEnv {
  KUBECONFIG: string;
  REGISTRY: string;
  TENANT_ID: string;
  UAMI_ID: string;
  SERVER_CLIENT_ID: string;
  CLIENT_CLIENT_ID: string;
  AUTHORITY_HOST: string;
  AKS_OIDC_ISSUER: string;
  BACKEND_API_URL: string;
  BACKEND_SCOPE: string;
  CA_BUNDLE: string;
  LOCAL_ENTRA_VALUES: string;
  IMAGE_TAG: string;
  PATH: string;
}

/** .cluster/env, as `. .cluster/env` gives it to a person; the suite needs `up` and `images` first. */
export function clusterEnv(): ClusterEnv {
  if (!fs.existsSync(envFile)) throw new Error(`${envFile} is missing: run npm run cluster -- up, then npm run cluster -- images`);
  const env = readEnvFile() as Partial<ClusterEnv>;
  if (!env.IMAGE_TAG) throw new Error(`IMAGE_TAG is not in ${envFile}: run npm run cluster -- images`);
  return env as ClusterEnv;
}

/**
 * The guide's values file for `app` (charts/tests/fixtures holds it verbatim but for its
 * placeholders), with what .cluster/env gives filled in: the IDs, the registry and tag, the backend
 * URL and its scope. Nothing else is changed. Written to `dir`; returns its path.
 */
export function guideValuesFile(app: 'mcp-server' | 'mcp-client', env: ClusterEnv, dir: string): string {
  const values = parse(fs.readFileSync(path.join(repoRoot, `charts/tests/fixtures/${app}-values.yaml`), 'utf8'));
  values.azure.tenantId = env.TENANT_ID;
  values.azure.clientId = app === 'mcp-server' ? env.SERVER_CLIENT_ID : env.CLIENT_CLIENT_ID;
  values.image.repository = `${env.REGISTRY}/${app}`;
  values.image.tag = env.IMAGE_TAG;
  if (app === 'mcp-server') {
    values.app.backendApiUrl = env.BACKEND_API_URL;
    values.azure.scopes = [env.BACKEND_SCOPE];
  }
  const file = path.join(dir, `${app}-values.yaml`);
  fs.writeFileSync(file, stringify(values));
  return file;
}
