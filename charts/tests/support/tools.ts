import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');
export const chartsDir = join(repoRoot, 'charts');
export const fixturesDir = join(chartsDir, 'tests/fixtures');

const installScript = join(repoRoot, 'tools/scripts/helm/install-helm-tools.sh');
const toolsManifest = join(repoRoot, '.tools/helm-tools.json');

/** Where install-helm-tools.sh put the pinned tools (it writes .tools/helm-tools.json). */
export interface HelmTools {
  helm: string;
  helmVersion: string;
  kubectlValidate: string;
  kubectlValidateVersion: string;
  /** Directory of OpenAPI v3 documents per group-version, for --local-schemas. */
  kubernetesSchemas: string;
  kubernetesSchemaVersion: string;
  /** Oldest supported Kubernetes minor ("1.28"), validated with kubectl-validate's built-in schema. */
  kubernetesMinVersion: string;
  /** Directory of CRDs (ServiceMonitor), for --local-crds. */
  crds: string;
}

/** Builds the tools on first use; silent and quick when they are already there. */
export function installHelmTools(): void {
  execFileSync('bash', [installScript], { stdio: ['ignore', 'inherit', 'inherit'] });
}

let cached: HelmTools | undefined;

export function helmTools(): HelmTools {
  cached ??= JSON.parse(readFileSync(toolsManifest, 'utf8')) as HelmTools;
  return cached;
}
