import { spawnSync } from 'node:child_process';
import { bashPath } from './fake-commands';

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a bash script with exactly the environment given (no inheritance), so PATH can hold
 * only fake commands and the outcome does not depend on what the machine has installed.
 */
export function runScript(script: string, args: string[], env: Record<string, string>, cwd?: string): ScriptResult {
  const result = spawnSync(bashPath(), [script, ...args], { env, cwd, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
