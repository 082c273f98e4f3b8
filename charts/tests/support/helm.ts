import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from './k8s-types';
import { chartsDir, fixturesDir, helmTools, repoRoot } from './tools';

export type ChartName = 'mcp-server' | 'mcp-client';
export const charts: ChartName[] = ['mcp-server', 'mcp-client'];

/** The guide installs both releases under the chart's own name in mcp-system. */
export const guideNamespace = 'mcp-system';

export interface RenderOptions {
  release?: string;
  /** The chart directory, absolute or relative to the repository root; charts/<chart> unless given. */
  chartDir?: string;
  namespace?: string;
  /** Values files, relative to charts/tests/fixtures unless absolute. */
  valuesFiles?: string[];
  /** --set key=value pairs, applied after the values files (as in the guide's Step 10). */
  set?: Record<string, string | number | boolean>;
  /** --set-string key=value pairs. */
  setString?: Record<string, string>;
}

// Keeps helm's cache, config and data out of the user's home directory.
const helmHome = join(repoRoot, '.tools/helm-home');
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
};

export function chartPath(chart: ChartName): string {
  return join(chartsDir, chart);
}

export function fixturePath(name: string): string {
  return name.startsWith('/') ? name : join(fixturesDir, name);
}

/** Runs helm in the repository root and returns its stdout; throws (with helm's stderr) when it fails. */
export function helm(args: string[]): string {
  try {
    return execFileSync(helmTools().helm, args, {
      cwd: repoRoot,
      env: helmEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new HelmError(args, error);
  }
}

export class HelmError extends Error {
  readonly stderr: string;

  constructor(args: string[], cause: unknown) {
    const stderr = String((cause as { stderr?: unknown }).stderr ?? '');
    super(`helm ${args.join(' ')} failed:\n${stderr}`);
    this.name = 'HelmError';
    this.stderr = stderr;
  }
}

/** Runs a helm command that must fail; returns its stderr. */
export function helmFailure(args: string[]): string {
  try {
    helm(args);
  } catch (error) {
    if (error instanceof HelmError) return error.stderr;
    throw error;
  }
  throw new Error(`helm ${args.join(' ')} succeeded, but it was expected to fail`);
}

export function templateArgs(chart: ChartName, options: RenderOptions = {}): string[] {
  const args = [
    'template',
    options.release ?? chart,
    options.chartDir ?? chartPath(chart),
    '--namespace',
    options.namespace ?? guideNamespace,
  ];
  for (const file of options.valuesFiles ?? []) args.push('--values', fixturePath(file));
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.setString ?? {})) args.push('--set-string', `${key}=${value}`);
  return args;
}

/** `helm template` output, as text. */
export function renderText(chart: ChartName, options: RenderOptions = {}): string {
  return helm(templateArgs(chart, options));
}

/** `helm template` output, parsed; YAML errors fail the test. */
export function render(chart: ChartName, options: RenderOptions = {}): Manifest[] {
  return parseManifests(renderText(chart, options));
}

export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`invalid YAML from helm: ${document.errors[0].message}`);
    const value = document.toJS() as Manifest | null;
    if (value !== null) manifests.push(value);
  }
  return manifests;
}

export function findAll<T extends Manifest>(manifests: Manifest[], kind: string): T[] {
  return manifests.filter((manifest) => manifest.kind === kind) as T[];
}

/** The one object of a kind (and name, if given); fails when there is not exactly one. */
export function findOne<T extends Manifest>(manifests: Manifest[], kind: string, name?: string): T {
  const found = findAll<T>(manifests, kind).filter((manifest) => name === undefined || manifest.metadata.name === name);
  if (found.length !== 1) {
    const present = manifests.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length} among: ${present}`);
  }
  return found[0];
}

/** The helm test hook pods (helm template renders them with the rest). */
export function testPods<T extends Manifest>(manifests: Manifest[]): T[] {
  return findAll<T>(manifests, 'Pod').filter((pod) => pod.metadata.annotations?.['helm.sh/hook'] === 'test');
}

let valuesDir: string | undefined;

/** Writes a small values file made by a test; returns its absolute path. */
export function valuesFile(name: string, yamlText: string): string {
  valuesDir ??= mkdtempSync(join(tmpdir(), 'chart-values-'));
  const file = join(valuesDir, name);
  writeFileSync(file, yamlText);
  return file;
}

/** Deletes the values files written by valuesFile. */
export function removeValuesFiles(): void {
  if (valuesDir) rmSync(valuesDir, { recursive: true, force: true });
  valuesDir = undefined;
}
