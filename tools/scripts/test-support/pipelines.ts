import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from './repo';

/** Parses a YAML file strictly: any error or warning (an unknown tag, say) throws. */
export function readYaml<T>(path: string): T {
  const document = parseDocument(readFileSync(join(repoRoot, path), 'utf8'), { merge: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(`${path}: ${problems.map((problem) => problem.message).join('\n')}`);
  return document.toJS({ maxAliasCount: -1 }) as T;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Job = { [key: string]: Json };

const gitlabReserved = new Set([
  'default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec',
]);

/** The GitLab jobs (not the hidden ones), with `extends` resolved as GitLab does it. */
export function gitlabJobs(config: Record<string, unknown>): Map<string, Job> {
  const resolve = (name: string, seen: string[]): Job => {
    if (seen.includes(name)) throw new Error(`extends cycle: ${[...seen, name].join(' -> ')}`);
    const job = config[name] as Job | undefined;
    if (!job || typeof job !== 'object') throw new Error(`job ${seen.at(-1)} extends ${name}, which does not exist`);
    const parents = job['extends'] === undefined ? [] : ([] as Json[]).concat(job['extends']).map(String);
    const merged = parents.reduce<Job>((result, parent) => deepMerge(result, resolve(parent, [...seen, name])), {});
    return deepMerge(merged, job);
  };
  const jobs = new Map<string, Job>();
  for (const name of Object.keys(config)) {
    if (!gitlabReserved.has(name) && !name.startsWith('.')) jobs.set(name, resolve(name, []));
  }
  return jobs;
}

// GitLab's extends: hashes merge key by key, everything else (arrays included) is replaced.
function deepMerge(base: Job, override: Job): Job {
  const result: Job = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
  }
  return result;
}

function isHash(value: Json | undefined): value is Job {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string inside a value (script lines, cache keys, paths...), nested lists flattened. */
export function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isHash(value)) return Object.values(value).flatMap(strings);
  return [];
}

/** The job's script lines (before_script, script, after_script), nested lists flattened. */
export function gitlabScript(job: Job): string[] {
  return ['before_script', 'script', 'after_script'].flatMap((key) => strings(job[key]));
}

/** Replaces $NAME and ${NAME} by the variables given; others stay as they are. */
export function expandVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return Object.hasOwn(variables, name) ? variables[name] : match;
  });
}

/** Replaces GitHub ${{ inputs.x }} expressions by the inputs given. */
export function expandInputs(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, (match, name: string) => (Object.hasOwn(inputs, name) ? inputs[name] : match));
}

/** Repository paths (under charts/, tools/ or apps/) mentioned in a text. */
export function repoPaths(text: string): string[] {
  return [...text.matchAll(/(?<=^|[\s"'=(])((?:charts|tools|apps)\/[\w.\-/$]*)/g)].map((match) => match[1].replace(/[/.]+$/, ''));
}

export interface NxCommand {
  text: string;
  kind: 'affected' | 'run-many' | 'run';
  targets: string[];
  projects: string[];
}

/** The nx invocations in a script line. */
export function nxCommands(line: string): NxCommand[] {
  const commands: NxCommand[] = [];
  for (const match of line.matchAll(/\bnx (affected|run-many|run) ([^;&|\n]*)/g)) {
    const kind = match[1] as NxCommand['kind'];
    const tokens = match[2].split(/\s+/).filter((token) => token !== '').map((token) => token.replace(/^["']|["']$/g, ''));
    const command: NxCommand = { text: match[0], kind, targets: [], projects: [] };
    let list: string[] | undefined;
    for (const token of tokens) {
      const flag = token.match(/^--?([\w-]+)(?:=(.*))?$/);
      if (flag) {
        list = ['t', 'targets', 'target'].includes(flag[1]) ? command.targets : ['p', 'projects'].includes(flag[1]) ? command.projects : undefined;
        if (list && flag[2] !== undefined) {
          list.push(...flag[2].split(','));
          list = undefined;
        }
      } else if (kind === 'run' && command.targets.length === 0 && token.includes(':')) {
        const [project, target] = token.split(':');
        command.projects.push(project);
        command.targets.push(target);
      } else if (list) {
        list.push(...token.split(',').filter((item) => item !== ''));
      }
    }
    commands.push(command);
  }
  return commands;
}

/** Targets of every project, from the Nx project graph (inferred targets included). */
export function nxProjectTargets(): Map<string, Set<string>> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-graph-'));
  try {
    const file = join(dir, 'graph.json');
    execFileSync(join(repoRoot, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], {
      cwd: repoRoot,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const graph = JSON.parse(readFileSync(file, 'utf8')) as { graph: { nodes: Record<string, { data: { targets?: Record<string, unknown> } }> } };
    return new Map(Object.entries(graph.graph.nodes).map(([name, node]) => [name, new Set(Object.keys(node.data.targets ?? {}))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
