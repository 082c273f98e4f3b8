import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { exited, httpGet, killIfRunning, ProcessLog, runCommand } from '../test-support/processes';
import { repoRoot } from '../test-support/repo';

// What the image does, without an engine: the production bundle, its production
// dependencies installed from the dist lock as the Dockerfile installs them, a folder nobody
// may write to, the chart's uid. The Nx test target depends on both apps' build, so the
// bundle is there and current; this spec builds nothing itself.
// The chart's podSecurityContext (charts/*/values.yaml) and the Dockerfile's USER.
const imageUid = 10001;
const asRoot = process.getuid?.() === 0;

// The server bundles its packages into main.js (apps/mcp-server/webpack.bundle.js) and installs
// only @azure/identity, loaded on first use; the client loads its packages from node_modules.
const installedPackages: Record<string, { present: string[]; absent: string[] }> = {
  'mcp-server': { present: ['@azure'], absent: ['@nestjs', 'fastify', 'pino', '@modelcontextprotocol'] },
  'mcp-client': { present: ['@nestjs', 'fastify', 'pino'], absent: [] },
};

describe.each(['mcp-server', 'mcp-client'])('the %s production bundle, outside a container', (app) => {
  const bundle = join(repoRoot, 'dist/apps', app);
  let workDir: string;
  let appDir: string;
  let server: ChildProcess | undefined;
  let log: ProcessLog;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(join(bundle, 'main.js'))) {
      throw new Error(`${bundle}/main.js is missing: run this through nx (npx nx test tools-scripts builds ${app} first)`);
    }
    workDir = mkdtempSync(join(tmpdir(), `${app}-bundle-`));
    // mkdtemp makes the folder 0700; the app's user must be able to reach the app in it.
    chmodSync(workDir, 0o755);
    appDir = join(workDir, 'app');
    // As .dockerignore does: no source maps, no dependencies installed into dist by hand.
    cpSync(bundle, appDir, { recursive: true, filter: (source) => !source.endsWith('.map') && basename(source) !== 'node_modules' });

    const install = await runCommand(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
      { cwd: appDir, env: npmEnvironment() },
      120_000,
    );
    if (install.code !== 0) throw new Error(`npm ci failed in ${appDir}:\n${install.output}`);
    process.stdout.write(`npm ci --omit=dev for ${app}: ${install.durationMs} ms\n`);

    execFileSync('chmod', ['-R', 'a-w', appDir]);

    server = spawn(process.execPath, ['main.js'], {
      cwd: appDir,
      // A clean environment, as in the pod: nothing from the workspace or the test runner.
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/nonexistent', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' },
      ...(asRoot ? { uid: imageUid, gid: imageUid } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    log = new ProcessLog(server);
    const [, listening] = await log.waitFor(new RegExp(`${app} listening on port (\\d+)`), 20_000);
    port = Number(listening);
  }, 180_000);

  afterAll(async () => {
    await killIfRunning(server);
    if (workDir) {
      // Root may delete read-only files; anyone else needs the write bits back first.
      if (!asRoot && existsSync(appDir)) execFileSync('chmod', ['-R', 'u+w', appDir]);
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('has only production dependencies installed', () => {
    const installed = readdirSync(join(appDir, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(installedPackages[app].present));
    for (const bundled of installedPackages[app].absent) expect(installed).not.toContain(bundled);
    for (const devOnly of ['nx', '@nx', 'jest', 'typescript', 'webpack', 'node']) expect(installed).not.toContain(devOnly);
    expect(readdirSync(appDir).filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it('runs as a non-root user: the image uid and gid when the test runs as root', () => {
    const status = readFileSync(`/proc/${server?.pid}/status`, 'utf8');
    const ids = (field: string) => status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, 'm'))?.slice(1).map(Number);
    const expectedUid = asRoot ? imageUid : process.getuid?.();
    const expectedGid = asRoot ? imageUid : process.getgid?.();
    expect(ids('Uid')).toEqual([expectedUid, expectedUid, expectedUid]);
    expect(ids('Gid')).toEqual([expectedGid, expectedGid, expectedGid]);
    expect(ids('Uid')).not.toContain(0);
  });

  it('answers 200 on /health/live from a read-only folder', async () => {
    expect(() => execFileSync('test', ['-w', appDir], { uid: asRoot ? imageUid : undefined })).toThrow();
    const response = await httpGet(`http://127.0.0.1:${port}/health/live`);
    expect(response.status).toBe(200);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    if (server?.pid === undefined) throw new Error('server not started');
    process.kill(server.pid, 'SIGTERM');
    expect(await exited(server, 30_000)).toEqual({ code: 0, signal: null });
  });
});

/**
 * The test runner's environment without npm's own settings (npm test exports npm_config_*,
 * which would steer this install), with the workspace's Node 24 first on PATH for npm.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  env['PATH'] = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;
  return env;
}
