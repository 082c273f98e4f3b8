import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCommand } from '@mcp-platform/testing';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');

/** What the plugin is made of: copied from the working tree, so the suite tests the plugin as it is now. */
const PLUGIN_PATHS = ['tools/nx-plugin', 'tsconfig.base.json'];

export interface CommandResult {
  command: string;
  code: number | null;
  /** stdout and stderr, interleaved as written. */
  output: string;
  seconds: number;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface WorkspaceCopy {
  /** The copy's root: a git repository with one commit, the baseline. */
  readonly dir: string;
  /** Runs `nx` in the copy, on its own Nx cache, and resolves when it exits. */
  nx(args: string[], options?: RunOptions): Promise<CommandResult>;
  /** Runs any command in the copy with the copy's environment (plus `options.env`). */
  run(command: string, args: string[], options?: RunOptions): Promise<CommandResult>;
  git(args: string[]): string;
  read(path: string): string;
  exists(path: string): boolean;
  remove(): void;
}

/**
 * A throw-away copy of the workspace: the committed tree (HEAD, so work in progress elsewhere in
 * the repository cannot break it) plus the plugin from the working tree, with node_modules a
 * symlink to the real one (no install) and a git baseline commit for `nx affected`.
 */
export function copyWorkspace(): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), 'nx-plugin-e2e-'));
  const dir = join(root, 'workspace');
  mkdirSync(dir);
  execFileSync('bash', ['-c', 'git archive --format=tar HEAD | tar -x -C "$1"', 'archive', dir], { cwd: WORKSPACE_ROOT, stdio: 'pipe' });
  rmSync(join(dir, 'tools/nx-plugin'), { recursive: true, force: true });
  const pluginFiles = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...PLUGIN_PATHS], { cwd: WORKSPACE_ROOT })
    .toString('utf8')
    .split('\0')
    .filter((file) => file && existsSync(join(WORKSPACE_ROOT, file)));
  for (const file of pluginFiles) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(WORKSPACE_ROOT, file), join(dir, file));
  }
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(dir, 'node_modules'));

  const env: Record<string, string> = {
    // node_modules/.bin first: its `node` is the workspace's pinned Node 24.
    PATH: [join(dir, 'node_modules/.bin'), dirname(process.execPath), process.env['PATH'] ?? ''].join(':'),
    HOME: process.env['HOME'] ?? root,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: join(root, 'nx-cache'),
    FORCE_COLOR: '0',
    GIT_AUTHOR_NAME: 'nx-plugin-e2e',
    GIT_AUTHOR_EMAIL: 'nx-plugin-e2e@localhost',
    GIT_COMMITTER_NAME: 'nx-plugin-e2e',
    GIT_COMMITTER_EMAIL: 'nx-plugin-e2e@localhost',
  };
  const git = (args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'baseline']);

  const run = (command: string, args: string[], options: RunOptions = {}) =>
    runInCopy(command, args, dir, { ...env, ...options.env }, options.timeoutMs ?? 180_000);
  return {
    dir,
    run,
    nx: (args, options) => run(join(dir, 'node_modules/.bin/nx'), args, options),
    git,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    exists: (path) => existsSync(join(dir, path)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Bounded, in its own process group (a timeout stops the command and every child it started). */
async function runInCopy(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<CommandResult> {
  const label = [command.replace(`${cwd}/`, ''), ...args].join(' ');
  const result = await runCommand(command, args, { cwd, env, timeoutMs, label });
  return { command: label, code: result.code, output: result.output, seconds: Math.round(result.durationMs / 100) / 10 };
}
