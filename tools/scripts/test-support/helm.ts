import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo';

/** The pinned helm that tools/scripts/helm/install-helm-tools.sh builds (as the chart tests use). */
export const helmBinary = join(repoRoot, '.tools/bin/helm');

// Keeps helm's cache, config and data out of the user's home directory.
const helmHome = join(repoRoot, '.tools/helm-home');

export function installHelmTools(): void {
  execFileSync('bash', [join(repoRoot, 'tools/scripts/helm/install-helm-tools.sh')], { stdio: 'inherit' });
}

/** Runs helm; returns stdout, or throws with helm's stderr. */
export function helm(args: string[]): string {
  try {
    return execFileSync(helmBinary, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(helmHome, 'cache'),
        HELM_CONFIG_HOME: join(helmHome, 'config'),
        HELM_DATA_HOME: join(helmHome, 'data'),
      },
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    throw new Error(`helm ${args.join(' ')} failed:\n${stderr}`);
  }
}
