import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCommands } from '../test-support/fake-commands';
import { repoRoot } from '../test-support/repo';
import { runScript } from '../test-support/run-script';

// The script runs from a copy inside a scratch "repository" (it finds the root from its own
// path), with fake docker, buildah and git as the only commands on PATH.
describe('build-image.sh', () => {
  let root: string;
  let script: string;
  let fakes: FakeCommands;

  const dockerWithDaemon = 'if [[ "$1" == build ]]; then printf "%s" "$PWD" > "$FAKE_STATE/cwd"; fi';
  const dockerWithoutDaemon = 'if [[ "$1" == info ]]; then echo "Cannot connect to the Docker daemon" >&2; exit 1; fi';
  const buildah = 'if [[ "$1" == bud ]]; then printf "%s" "$PWD" > "$FAKE_STATE/cwd"; fi';
  const git = 'echo abc1234';

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-image-'));
    mkdirSync(join(root, 'tools/scripts/container'), { recursive: true });
    script = join(root, 'tools/scripts/container/build-image.sh');
    copyFileSync(join(repoRoot, 'tools/scripts/container/build-image.sh'), script);
    mkdirSync(join(root, 'apps/demo'), { recursive: true });
    writeFileSync(join(root, 'apps/demo/Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(root, 'dist/apps/demo'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/demo/main.js'), '');
    fakes = new FakeCommands().add('git', git);
  });

  afterEach(() => {
    fakes.remove();
    rmSync(root, { recursive: true, force: true });
  });

  function build(args: string[], env: Record<string, string> = {}) {
    return runScript(script, args, { PATH: fakes.bin, ...env });
  }

  function buildCwd(): string {
    return readFileSync(join(fakes.state, 'cwd'), 'utf8');
  }

  it('builds with docker when the daemon answers, tagged with the short commit', () => {
    fakes.add('docker', dockerWithDaemon).add('buildah');

    const result = build(['demo']);

    expect(result.stderr).toContain('localhost/mcp-platform/demo:abc1234 built with docker');
    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      `git -C ${root} rev-parse --short HEAD`,
      'docker info',
      'docker build --file apps/demo/Dockerfile --tag localhost/mcp-platform/demo:abc1234 .',
    ]);
    expect(buildCwd()).toBe(root);
  });

  it('builds the same Dockerfile and tag with buildah when no Docker daemon answers', () => {
    fakes.add('docker', dockerWithoutDaemon).add('buildah', buildah);

    const result = build(['demo']);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      `git -C ${root} rev-parse --short HEAD`,
      'docker info',
      'buildah bud --format docker --layers --file apps/demo/Dockerfile --tag localhost/mcp-platform/demo:abc1234 .',
    ]);
    expect(buildCwd()).toBe(root);
  });

  it('uses buildah when docker is not installed at all', () => {
    fakes.add('buildah', buildah);

    expect(build(['demo']).status).toBe(0);
    expect(fakes.calls().at(-1)).toBe(
      'buildah bud --format docker --layers --file apps/demo/Dockerfile --tag localhost/mcp-platform/demo:abc1234 .',
    );
  });

  it('takes the registry and tag from the flags as nx forwards them, and pushes with docker', () => {
    fakes.add('docker', dockerWithDaemon);

    const result = build(['demo', '--registry=registry.gitlab.com/contoso/mcp-platform/', '--tag=1a2b3c4d', '--push']);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      'docker info',
      'docker build --file apps/demo/Dockerfile --tag registry.gitlab.com/contoso/mcp-platform/demo:1a2b3c4d .',
      'docker push registry.gitlab.com/contoso/mcp-platform/demo:1a2b3c4d',
    ]);
  });

  it('takes the registry, tag and push from the environment, and pushes with buildah', () => {
    fakes.add('buildah', buildah);

    const result = build(['demo'], { CONTAINER_REGISTRY: 'ghcr.io/contoso/mcp-platform', IMAGE_TAG: 'v1.1.0', CONTAINER_PUSH: 'true' });

    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      'buildah bud --format docker --layers --file apps/demo/Dockerfile --tag ghcr.io/contoso/mcp-platform/demo:v1.1.0 .',
      'buildah push ghcr.io/contoso/mcp-platform/demo:v1.1.0 docker://ghcr.io/contoso/mcp-platform/demo:v1.1.0',
    ]);
  });

  it('lets flags win over the environment, and accepts the "--flag value" form', () => {
    fakes.add('docker', dockerWithDaemon);

    build(['demo', '--registry', 'example.azurecr.io', '--tag', 'rc1'], { CONTAINER_REGISTRY: 'other', IMAGE_TAG: 'other' });

    expect(fakes.calls()).toContain('docker build --file apps/demo/Dockerfile --tag example.azurecr.io/demo:rc1 .');
  });

  it('passes CONTAINER_BUILD_ARGS to the engine and skips detection with CONTAINER_ENGINE', () => {
    fakes.add('docker', dockerWithDaemon).add('buildah', buildah);

    build(['demo', '--tag=t1'], { CONTAINER_ENGINE: 'buildah', CONTAINER_BUILD_ARGS: '--isolation chroot --pull=never' });

    expect(fakes.calls()).toEqual([
      'buildah bud --format docker --layers --file apps/demo/Dockerfile --tag localhost/mcp-platform/demo:t1 --isolation chroot --pull=never .',
    ]);
  });

  it('fails naming what to install when neither docker nor buildah exists', () => {
    const result = build(['demo']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('neither docker nor buildah is installed');
    expect(result.stderr).toContain('apt-get install buildah');
  });

  it('fails clearly when docker has no daemon and buildah is missing', () => {
    fakes.add('docker', dockerWithoutDaemon);

    const result = build(['demo']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no Docker daemon answers');
    expect(result.stderr).toContain('install buildah');
    expect(fakes.calls()).not.toContain(expect.stringMatching(/^docker build/));
  });

  it('refuses an app without a Dockerfile or without a production build', () => {
    fakes.add('docker', dockerWithDaemon);

    expect(build(['nope']).stderr).toContain('no Dockerfile at apps/nope/Dockerfile');
    rmSync(join(root, 'dist/apps/demo/main.js'));
    const unbuilt = build(['demo']);
    expect(unbuilt.status).toBe(1);
    expect(unbuilt.stderr).toContain('npx nx run demo:build');
    expect(fakes.calls()).toEqual([]);
  });

  it('refuses image names a registry would reject', () => {
    fakes.add('docker', dockerWithDaemon);

    expect(build(['demo', '--registry=ghcr.io/Contoso/MCP']).stderr).toContain("registry 'ghcr.io/Contoso/MCP' is not a valid");
    expect(build(['demo', '--tag=feature/x']).stderr).toContain("'feature/x' is not a valid image tag");
    expect(build(['demo', '--bogus']).stderr).toContain('unknown option --bogus');
    expect(fakes.calls()).toEqual([]);
  });
});

describe('the container targets', () => {
  // Every project with a container target builds its own image after its production build.
  const projects = findProjectsWithContainerTarget();

  it('exist (mcp-server at least)', () => {
    expect(projects.map((project) => project.name)).toContain('mcp-server');
  });

  it.each(projects)('$name: runs build-image.sh for itself after build, uncached', ({ name, root, target }) => {
    expect(target.options.command).toBe(`bash tools/scripts/container/build-image.sh ${name}`);
    expect(target.options.cwd).toBe('{workspaceRoot}');
    expect(target.dependsOn).toEqual(['build']);
    expect(target.cache).toBe(false);
    // Not for caching: a change to these makes the app affected, so its image is rebuilt.
    expect(target.inputs).toEqual(expect.arrayContaining(['production', '{workspaceRoot}/.dockerignore', '{workspaceRoot}/tools/scripts/container/build-image.sh']));
    expect(readFileSync(join(repoRoot, root, 'Dockerfile'), 'utf8')).toContain(`dist/apps/${name}/`);
  });
});

interface ContainerTarget {
  dependsOn: unknown[];
  cache: boolean;
  inputs?: string[];
  options: { command: string; cwd: string };
}

function findProjectsWithContainerTarget(): { name: string; root: string; target: ContainerTarget }[] {
  const found = [];
  for (const app of readdirSync(join(repoRoot, 'apps'))) {
    const file = join(repoRoot, 'apps', app, 'project.json');
    let project: { name: string; targets?: Record<string, ContainerTarget> };
    try {
      project = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const target = project.targets?.['container'];
    if (target) found.push({ name: project.name, root: `apps/${app}`, target });
  }
  return found;
}
