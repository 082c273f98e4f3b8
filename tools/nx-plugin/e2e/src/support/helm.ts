import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-copy';

/** helm as the chart tests use it: built by the repository's installer into .tools (idempotent, locked). */
export function helmBinary(): string {
  execFileSync('bash', [join(WORKSPACE_ROOT, 'tools/scripts/helm/install-helm-tools.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  return (JSON.parse(readFileSync(join(WORKSPACE_ROOT, '.tools/helm-tools.json'), 'utf8')) as { helm: string }).helm;
}

/** Keeps helm's cache and config inside the test's folder. */
export function helmEnv(home: string): Record<string, string> {
  mkdirSync(home, { recursive: true });
  return { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
}
