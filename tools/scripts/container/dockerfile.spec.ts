import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../test-support/repo';

// No engine builds the images in `npm test`, so these read the Dockerfiles: what the charts
// rely on (uid, port, a signal-friendly CMD) must hold in both, and stay in step with the
// charts' values.

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each stage (a stage starts at FROM); the first entry is the preamble. */
function stages(all: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [[]];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') result.push([]);
    result[result.length - 1].push(instruction);
  }
  return result;
}

function args(stage: Instruction[], keyword: string): string[] {
  return stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

interface ChartValues {
  podSecurityContext: { runAsUser: number; runAsGroup: number };
  service: { port: number };
}

const apps = ['mcp-server', 'mcp-client'].filter((app) => existsSync(join(repoRoot, 'apps', app, 'Dockerfile')));

describe.each(apps)('apps/%s/Dockerfile', (app) => {
  const [preamble, ...buildStages] = stages(instructions(readFileSync(join(repoRoot, 'apps', app, 'Dockerfile'), 'utf8')));
  const runtime = buildStages[buildStages.length - 1];
  const chartValues = parse(readFileSync(join(repoRoot, 'charts', app, 'values.yaml'), 'utf8')) as ChartValues;

  it('pins node:24-bookworm-slim through one ARG used by every stage', () => {
    expect(args(preamble, 'ARG')).toEqual(['NODE_IMAGE=node:24-bookworm-slim']);
    expect(buildStages.length).toBeGreaterThanOrEqual(2);
    for (const stage of buildStages) expect(args(stage, 'FROM')[0]).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
  });

  it('installs production dependencies only, from the lock beside the bundle, leaving no npm cache', () => {
    const dependencies = buildStages[0];
    expect(args(dependencies, 'COPY')).toEqual([`dist/apps/${app}/package.json dist/apps/${app}/package-lock.json ./`]);
    const [install] = args(dependencies, 'RUN');
    expect(install).toContain('npm ci --omit=dev');
    expect(install).toMatch(/--mount=type=cache,target=\/root\/\.npm|npm cache clean --force/);
    // A TLS-intercepting proxy's CA comes in as a build secret (build-image.sh passes the host's
    // bundle), only for this step: no certificate is copied into any stage.
    expect(install).toContain('--mount=type=secret,id=npm-ca,target=/run/secrets/npm-ca');
    expect(install).toContain('NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca');
    for (const stage of buildStages) expect(args(stage, 'COPY').join(' ')).not.toMatch(/\.(crt|pem)\b|ca-certificates/);
    // Source maps of the dependencies would only take space: node runs without --enable-source-maps.
    expect(install).toContain("find node_modules -type f -name '*.map' -delete");
    // Only node_modules leaves the dependencies stage.
    expect(args(runtime, 'COPY').filter((copy) => copy.startsWith('--from='))).toEqual([
      '--from=dependencies /app/node_modules ./node_modules',
    ]);
  });

  it('copies the production bundle of this app', () => {
    expect(args(runtime, 'COPY')).toContain(`dist/apps/${app}/ ./`);
  });

  it("runs as the chart's non-root uid and gid, which own nothing in the image", () => {
    const { runAsUser, runAsGroup } = chartValues.podSecurityContext;
    expect(args(runtime, 'USER')).toEqual([`${runAsUser}:${runAsGroup}`]);
    const [setup] = args(runtime, 'RUN');
    expect(setup).toContain(`useradd --uid ${runAsUser} --gid ${runAsGroup}`);
    expect(args(runtime, 'COPY').join(' ')).not.toContain('--chown');
  });

  it('has curl (no recommends, no apt lists left), env and ls for the guide\'s kubectl exec checks', () => {
    const [setup] = args(runtime, 'RUN');
    expect(setup).toMatch(/apt-get install -y --no-install-recommends [^&]*\bcurl\b/);
    expect(setup).toMatch(/\bcoreutils\b/);
    expect(setup).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it("listens on the chart's port in production mode", () => {
    expect(args(runtime, 'EXPOSE')).toEqual([String(chartValues.service.port)]);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production\s+PORT=8000/);
  });

  it('starts node directly (exec form, no entrypoint script), so SIGTERM reaches it', () => {
    expect(args(runtime, 'ENTRYPOINT')).toEqual(['[]']);
    const cmd = args(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    // node itself, with V8 options if any, then the bundle: no shell in between.
    const [command, ...rest] = JSON.parse(cmd[0]) as string[];
    expect(command).toBe('node');
    expect(rest.at(-1)).toBe('main.js');
    for (const option of rest.slice(0, -1)) expect(option).toMatch(/^--[a-z-]+(=\S+)?$/);
  });

  // The server's image starts it once at build to write V8's code cache (apps/mcp-server/code-cache-main.js).
  const codeCacheRun = args(runtime, 'RUN').find((run) => run.includes('MCP_WRITE_CODE_CACHE=1'));
  if (codeCacheRun !== undefined) {
    it("makes its V8 code cache with the CMD's node flags (V8 refuses a cache made under others)", () => {
      const [, ...cmd] = JSON.parse(args(runtime, 'CMD')[0]) as string[];
      const started = /MCP_WRITE_CODE_CACHE=1 node ((?:--\S+ )*)main\.js/.exec(codeCacheRun);
      expect(started?.[1].trim().split(' ').filter(Boolean)).toEqual(cmd.slice(0, -1));
    });
  }
});

describe('.dockerignore', () => {
  const lines = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('sends only the production bundles, without source maps or stray node_modules', () => {
    expect(lines[0]).toBe('*');
    expect(lines).toEqual(expect.arrayContaining(apps.map((app) => `!dist/apps/${app}/`)));
    // Later lines win, so the exclusions come after the re-inclusions.
    const lastInclude = Math.max(...lines.map((line, index) => (line.startsWith('!') ? index : -1)));
    expect(lines.indexOf('**/*.map')).toBeGreaterThan(lastInclude);
    expect(lines.indexOf('dist/apps/*/node_modules')).toBeGreaterThan(lastInclude);
  });
});
