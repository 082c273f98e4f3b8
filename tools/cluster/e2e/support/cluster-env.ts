import fs from 'node:fs';
import { envFile } from '../../src/layout.mjs';
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
