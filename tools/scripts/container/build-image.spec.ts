import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCommands } from '../test-support/fake-commands';
import { repoRoot } from '../test-support/repo';
import { runScript } from '../test-support/run-script';

// The script runs from a copy inside a scratch "repository" (it finds the root from its own
// path), with fake docker, buildah, apt-get and git as the only engines on PATH (plus mkdir and
// rm), and fake base-image.sh and install-container-tools.sh beside it.
describe('build-image.sh', () => {
  let root: string;
  let script: string;
  let fakes: FakeCommands;
  let caBundle: string;

  // Engines write the image id where --iidfile says, as the real ones do.
  const writeIid = 'for ((i = 1; i < $#; i++)); do if [[ "${!i}" == --iidfile ]]; then j=$((i + 1)); printf sha256:new > "${!j}"; fi; done';
  const dockerWithDaemon = `if [[ "$1" == build ]]; then printf "%s" "$PWD" > "$FAKE_STATE/cwd"; ${writeIid}; fi; if [[ "$1 $2" == "image ls" ]]; then echo 279MB; fi`;
  const dockerWithoutDaemon = 'if [[ "$1" == info ]]; then echo "Cannot connect to the Docker daemon" >&2; exit 1; fi';
  const buildah = `if [[ "$1" == bud ]]; then printf "%s" "$PWD" > "$FAKE_STATE/cwd"; ${writeIid}; fi; if [[ "$1 $3" == "images {{.Size}}" ]]; then echo "279 MB"; fi`;
  const git = 'echo abc1234';
  const asRoot = process.getuid?.() === 0;

  const budLine = (image: string, extra = '') =>
    `buildah bud --format docker --layers --force-rm --pull=false --isolation chroot --file apps/demo/Dockerfile --tag ${image} ` +
    `--iidfile ${root}/dist/images/demo.iid --secret id=npm-ca,src=${caBundle}${extra} .`;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-image-'));
    mkdirSync(join(root, 'tools/scripts/container'), { recursive: true });
    script = join(root, 'tools/scripts/container/build-image.sh');
    copyFileSync(join(repoRoot, 'tools/scripts/container/build-image.sh'), script);
    mkdirSync(join(root, 'apps/demo'), { recursive: true });
    writeFileSync(join(root, 'apps/demo/Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(root, 'dist/apps/demo'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/demo/main.js'), '');
    caBundle = join(root, 'ca.pem');
    writeFileSync(caBundle, '-----BEGIN CERTIFICATE-----\n');
    fakes = new FakeCommands().add('git', git).allow('mkdir', 'rm');
    fakes.addScript(join(root, 'tools/scripts/container/base-image.sh'), 'base-image.sh');
    // The fake installer puts the buildah fake a test left in the state folder on PATH.
    fakes.addScript(join(root, 'tools/scripts/container/install-container-tools.sh'), 'install-container-tools.sh', `cp "$FAKE_STATE/buildah" ${fakes.bin}/buildah`);
  });

  afterEach(() => {
    fakes.remove();
    rmSync(root, { recursive: true, force: true });
  });

  function build(args: string[], env: Record<string, string> = {}) {
    return runScript(script, args, { PATH: fakes.bin, BUILD_CA_BUNDLE: caBundle, ...env });
  }

  function buildCwd(): string {
    return readFileSync(join(fakes.state, 'cwd'), 'utf8');
  }

  it('builds with docker when the daemon answers, tagged with the short commit, and says how big the image is', () => {
    fakes.add('docker', dockerWithDaemon).add('buildah');

    const result = build(['demo']);

    expect(result.stderr).toMatch(/localhost\/mcp-platform\/demo:abc1234 built with docker in \d+ s, 279MB/);
    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      `git -C ${root} rev-parse --short HEAD`,
      'docker info',
      'docker image inspect --format {{.Id}} localhost/mcp-platform/demo:abc1234',
      `docker build --file apps/demo/Dockerfile --tag localhost/mcp-platform/demo:abc1234 --iidfile ${root}/dist/images/demo.iid --secret id=npm-ca,src=${caBundle} .`,
      'docker image ls --format {{.Size}} localhost/mcp-platform/demo:abc1234',
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
      'buildah images --no-trunc --format {{.ID}} localhost/mcp-platform/demo:abc1234',
      budLine('localhost/mcp-platform/demo:abc1234'),
      'buildah images --format {{.Size}} localhost/mcp-platform/demo:abc1234',
    ]);
    expect(buildCwd()).toBe(root);
  });

  it('records what it built in dist/images/<app>.json, for the image tests', () => {
    fakes.add('buildah', buildah);

    build(['demo', '--tag=t1']);

    expect(JSON.parse(readFileSync(join(root, 'dist/images/demo.json'), 'utf8'))).toEqual({
      app: 'demo',
      image: 'localhost/mcp-platform/demo:t1',
      id: 'sha256:new',
      engine: 'buildah',
      size: '279 MB',
      seconds: expect.any(Number),
    });
    expect(readdirSync(join(root, 'dist/images'))).toEqual(['demo.json']);
  });

  it('removes the image it replaces under the same tag (other tags keep it)', () => {
    fakes.add('buildah', `${buildah}; if [[ "$1 $2" == "images --no-trunc" ]]; then echo sha256:old; fi`);

    build(['demo', '--tag=t1']);

    expect(fakes.calls()).toContain('buildah rmi sha256:old');
  });

  it.each([
    ['node:24-bookworm-slim', 'ARG NODE_IMAGE=node:24-bookworm-slim\nFROM ${NODE_IMAGE}\n', asRoot ? ['base-image.sh node:24-bookworm-slim'] : []],
    ['absent', 'FROM scratch\n', []],
  ])("with buildah as root, runs base-image.sh first for the Dockerfile's ARG NODE_IMAGE (%s), unless BASE_IMAGE_ENSURE=false", (_, dockerfile, expected) => {
    writeFileSync(join(root, 'apps/demo/Dockerfile'), dockerfile);
    fakes.add('buildah', buildah);

    expect(build(['demo', '--tag=t1']).status).toBe(0);
    expect(fakes.calls().filter((call) => call.startsWith('base-image.sh'))).toEqual(expected);
    fakes.clearCalls();
    build(['demo', '--tag=t1'], { BASE_IMAGE_ENSURE: 'false' });
    expect(fakes.calls().filter((call) => call.startsWith('base-image.sh'))).toEqual([]);
  });

  it('mounts no CA bundle with BUILD_CA_BUNDLE=none, and refuses one that is not a file', () => {
    fakes.add('buildah', buildah);

    build(['demo', '--tag=t1'], { BUILD_CA_BUNDLE: 'none' });
    expect(fakes.calls().find((call) => call.startsWith('buildah bud'))).not.toContain('--secret');

    const missing = build(['demo', '--tag=t1'], { BUILD_CA_BUNDLE: '/nonexistent/ca.pem' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('BUILD_CA_BUNDLE=/nonexistent/ca.pem is not a file');
  });

  it('uses buildah when docker is not installed at all', () => {
    fakes.add('buildah', buildah);

    expect(build(['demo']).status).toBe(0);
    expect(fakes.calls()).toContain(budLine('localhost/mcp-platform/demo:abc1234'));
  });

  it('installs buildah where neither engine is installed but apt-get is', () => {
    fakes.add('apt-get').allow('cp').addScript(join(fakes.state, 'buildah'), 'buildah', buildah);

    const result = build(['demo', '--tag=t1']);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toContain('install-container-tools.sh buildah');
    expect(fakes.calls()).toContain(budLine('localhost/mcp-platform/demo:t1'));
  });

  it('takes the registry and tag from the flags as nx forwards them, and pushes with docker', () => {
    fakes.add('docker', dockerWithDaemon);

    const result = build(['demo', '--registry=registry.gitlab.com/contoso/mcp-platform/', '--tag=1a2b3c4d', '--push']);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toContain('docker push registry.gitlab.com/contoso/mcp-platform/demo:1a2b3c4d');
    expect(fakes.calls().find((call) => call.startsWith('docker build'))).toContain('--tag registry.gitlab.com/contoso/mcp-platform/demo:1a2b3c4d ');
    expect(result.stderr).toContain(', pushed');
  });

  it('takes the registry, tag and push from the environment, and pushes with buildah', () => {
    fakes.add('buildah', buildah);

    const result = build(['demo'], { CONTAINER_REGISTRY: 'ghcr.io/contoso/mcp-platform', IMAGE_TAG: 'v1.1.0', CONTAINER_PUSH: 'true' });

    expect(result.status).toBe(0);
    expect(fakes.calls()).toContain(budLine('ghcr.io/contoso/mcp-platform/demo:v1.1.0'));
    expect(fakes.calls().at(-1)).toBe('buildah push ghcr.io/contoso/mcp-platform/demo:v1.1.0 docker://ghcr.io/contoso/mcp-platform/demo:v1.1.0');
  });

  it('pushes over plain HTTP only when told to (a registry on loopback)', () => {
    fakes.add('buildah', buildah);

    const result = build(['demo', '--registry=127.0.0.1:5000', '--tag=t1', '--push'], { CONTAINER_PUSH_TLS_VERIFY: 'false' });

    expect(result.status).toBe(0);
    expect(fakes.calls().at(-1)).toBe('buildah push --tls-verify=false 127.0.0.1:5000/demo:t1 docker://127.0.0.1:5000/demo:t1');
  });

  it('lets flags win over the environment, and accepts the "--flag value" form', () => {
    fakes.add('docker', dockerWithDaemon);

    build(['demo', '--registry', 'example.azurecr.io', '--tag', 'rc1'], { CONTAINER_REGISTRY: 'other', IMAGE_TAG: 'other' });

    expect(fakes.calls().find((call) => call.startsWith('docker build'))).toContain('--tag example.azurecr.io/demo:rc1 ');
  });

  it('passes CONTAINER_BUILD_ARGS to the engine and skips detection with CONTAINER_ENGINE', () => {
    fakes.add('docker', dockerWithDaemon).add('buildah', buildah);

    build(['demo', '--tag=t1'], { CONTAINER_ENGINE: 'buildah', CONTAINER_BUILD_ARGS: '--jobs 2 --no-cache' });

    expect(fakes.calls().filter((call) => call.startsWith('docker'))).toEqual([]);
    expect(fakes.calls()).toContain(budLine('localhost/mcp-platform/demo:t1', ' --jobs 2 --no-cache'));
  });

  it('fails naming what to install when neither docker nor buildah exists, nor apt-get', () => {
    const result = build(['demo']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('neither docker nor buildah is installed');
    expect(result.stderr).toContain('tools/scripts/container/install-container-tools.sh');
  });

  it('does not install anything with CONTAINER_INSTALL_TOOLS=false', () => {
    fakes.add('apt-get');

    const result = build(['demo'], { CONTAINER_INSTALL_TOOLS: 'false' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('neither docker nor buildah is installed');
    expect(fakes.calls().filter((call) => call.startsWith('install-container-tools.sh'))).toEqual([]);
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
    expect(target.inputs).toEqual(
      expect.arrayContaining([
        'production',
        '{workspaceRoot}/.dockerignore',
        ...['build-image.sh', 'base-image.sh', 'base-rootfs.sh', 'versions.env'].map((file) => `{workspaceRoot}/tools/scripts/container/${file}`),
      ]),
    );
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
