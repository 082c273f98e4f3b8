import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@mcp-platform/testing';
import { parse } from 'yaml';
import { builtImage, IMAGE_APPS, sizeInMegabytes } from './support/built-images';
import { ContainerCli } from './support/container-cli';

// What is in each image, read from the image itself (its config and one-off containers), not
// from the Dockerfile. The running apps are tested in mcp-server.image-spec.ts and
// mcp-client.image-spec.ts.

interface ImageConfig {
  User: string;
  Env: string[];
  Entrypoint?: string[] | null;
  Cmd: string[];
  WorkingDir: string;
  ExposedPorts: Record<string, unknown>;
  /** Where docker puts it. */
  Healthcheck?: { Test: string[] };
}

interface InspectedImage {
  Config: ImageConfig;
  /** Where podman puts it. */
  Healthcheck?: { Test: string[] };
}

// Dependencies of the workspace that only build or test it: none may reach an image.
const DEV_ONLY = ['nx', '@nx', 'jest', 'ts-jest', 'typescript', 'webpack', 'webpack-cli', 'eslint', '@swc', 'node', 'autocannon', 'fast-check'];

describe.each(IMAGE_APPS)('the %s image', (app) => {
  const image = builtImage(app);
  const cli = new ContainerCli(image);
  const chart = parse(readFileSync(path.join(WORKSPACE_ROOT, 'charts', app, 'values.yaml'), 'utf8')) as {
    podSecurityContext: { runAsUser: number; runAsGroup: number };
    service: { port: number };
  };
  const uid = chart.podSecurityContext.runAsUser;
  const gid = chart.podSecurityContext.runAsGroup;

  /** Runs a shell script in a one-off container of the image, as the pod would (or as root to look everywhere). */
  const shell = async (script: string, user?: string) => {
    const name = `${app}-contents-${randomBytes(4).toString('hex')}`;
    try {
      return await cli.check(['run', '--rm', '--name', name, ...cli.podFlags(), ...(user ? ['--user', user] : []), image.image, 'sh', '-c', script]);
    } finally {
      // Normally gone already (--rm); not when the run timed out and only the CLI was killed.
      await cli.run(cli.removeArgs(name));
    }
  };

  it(`is small enough (${image.size}), so no build tooling slipped in`, () => {
    process.stdout.write(`${image.image}: ${image.size}\n`);
    // Base ~230 MB plus ~110 MB of production dependencies; dev dependencies would add ~700 MB.
    expect(sizeInMegabytes(image)).toBeLessThan(400);
  });

  const inspect = async () => (JSON.parse(await cli.check(['image', 'inspect', image.image])) as InspectedImage[])[0];

  it("starts node main.js directly as the chart's user, on the chart's port", async () => {
    const { Config: config } = await inspect();
    expect(config.User).toBe(`${uid}:${gid}`);
    expect(config.Entrypoint ?? []).toEqual([]);
    // node itself (options allowed), so it is PID 1 and gets SIGTERM; no shell, no entrypoint script.
    expect(config.Cmd[0]).toBe('node');
    expect(config.Cmd.at(-1)).toBe('main.js');
    expect(config.WorkingDir).toBe('/app');
    expect(config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', `PORT=${chart.service.port}`]));
    expect(Object.keys(config.ExposedPorts)).toEqual([`${chart.service.port}/tcp`]);
  });

  it('runs as a non-root user that can write nothing but /tmp', async () => {
    const output = await shell('id -u; id -g; touch /app/probe 2>&1 || true; touch /tmp/probe && echo tmp-writable');
    expect(output).toContain(`${uid}\n${gid}\n`);
    expect(output).toMatch(/touch: cannot touch '\/app\/probe': Read-only file system/);
    expect(output).toContain('tmp-writable');
  });

  it("has what the guide's kubectl exec and the chart's preStop hook run: curl, env, ls, grep, sleep", async () => {
    const output = await shell('for tool in curl env ls grep sleep node; do command -v $tool || echo "missing $tool"; done');
    expect(output).not.toContain('missing');
    expect(await shell('curl --version')).toMatch(/^curl \d/);
  });

  it('holds production dependencies only, and no npm, npm cache, source maps or build secret', async () => {
    // What the bundle leaves external is the build's business; that it is installed, and
    // nothing for development with it, is the image's.
    const { dependencies } = JSON.parse(await shell('cat /app/package.json')) as { dependencies: Record<string, string> };
    const declared = Object.keys(dependencies);
    expect(declared.length).toBeGreaterThan(0);
    const missing = await shell(declared.map((name) => `test -f /app/node_modules/${name}/package.json || echo ${name}`).join('; '));
    expect(missing.trim()).toBe('');
    const installed = (await shell('ls -A /app/node_modules')).split('\n');
    for (const devOnly of DEV_ONLY) expect(installed).not.toContain(devOnly);
    const leftovers = await shell(
      [
        'for tool in npm npx corepack yarn; do command -v $tool && echo "found $tool"; done',
        'ls -d /usr/local/lib/node_modules/* /root/.npm /home/*/.npm /run/secrets 2>/dev/null',
        'find /app /usr/local -name "*.map" -type f | head -n 5',
        'ls -A /tmp',
      ].join('; '),
      '0',
    );
    expect(leftovers.trim()).toBe('');
  });

  it('keeps the HEALTHCHECK for docker run and compose (docker format, not OCI)', async () => {
    const inspected = await inspect();
    const healthcheck = inspected.Healthcheck ?? inspected.Config.Healthcheck;
    expect(healthcheck?.Test.join(' ')).toContain('/health/live');
  });
});
