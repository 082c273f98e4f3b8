// The guide's values files, with what .cluster/env gives filled in.
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from './layout.mjs';

/**
 * The guide's Step 5 or Step 6 values for `app` (charts/tests/fixtures holds them verbatim but for
 * their placeholders) with the IDs, the registry and tag, the backend URL and its scope taken from
 * `env` (.cluster/env). Nothing else is changed. Written to `dir`; returns the file's path.
 * @param {'mcp-server' | 'mcp-client'} app
 * @param {Record<string, string>} env
 * @param {string} dir
 */
export function writeGuideValuesFile(app, env, dir) {
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
