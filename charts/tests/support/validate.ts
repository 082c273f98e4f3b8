import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmTools } from './tools';

/**
 * Which Kubernetes schemas to validate against: the current release's (the k8s.io/kubernetes
 * module's OpenAPI documents) or the oldest the charts support (kubectl-validate's built-in).
 */
export type KubernetesSchemas = 'current' | 'minimum';

export interface ValidationFailure {
  /** Position of the document in the stream, from 0. */
  document: number;
  message: string;
}

interface StatusResult {
  status: 'Success' | 'Failure';
  message?: string;
}

/**
 * Validates a multi-document manifest stream offline with kubectl-validate, which runs the API
 * server's own validation: unknown fields, wrong types and invalid values all fail. Returns one
 * entry per failing document.
 */
export function validateManifests(yamlText: string, schemas: KubernetesSchemas): ValidationFailure[] {
  const tools = helmTools();
  const dir = mkdtempSync(join(tmpdir(), 'chart-validate-'));
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, yamlText);
  const schemaArgs =
    schemas === 'current' ? ['--local-schemas', tools.kubernetesSchemas] : ['--version', tools.kubernetesMinVersion];
  const args = [file, ...schemaArgs, '--local-crds', tools.crds, '--output', 'json'];
  let stdout: string;
  try {
    stdout = execFileSync(tools.kubectlValidate, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // Exit status 1 with the JSON report on stdout means "some document is invalid".
    stdout = String((error as { stdout?: unknown }).stdout ?? '');
    if (!stdout.trim().startsWith('{')) {
      throw new Error(`kubectl-validate failed: ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = JSON.parse(stdout) as Record<string, StatusResult[]>;
  const results = report[file];
  if (!Array.isArray(results)) throw new Error(`kubectl-validate reported nothing for ${file}: ${stdout}`);
  return results.flatMap((result, document) =>
    result.status === 'Success' ? [] : [{ document, message: result.message ?? result.status }],
  );
}
