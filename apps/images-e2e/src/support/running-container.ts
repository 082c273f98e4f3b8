import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, RunningProcess, waitForLog } from '@mcp-platform/testing';
import type { BuiltImage } from './built-images';
import { CliResult, ContainerCli } from './container-cli';

export interface Volume {
  source: string;
  target: string;
}

export interface ContainerOptions {
  env: Record<string, string>;
  /** Bind mounts, read-only, as the kubelet mounts projected tokens and config. */
  volumes?: Volume[];
}

/** A container run in the foreground: its output is the process's, so the log helpers of @mcp-platform/testing apply. */
export interface RunningContainer extends RunningProcess {
  readonly name: string;
  readonly cli: ContainerCli;
  readonly port: number;
  readonly baseUrl: string;
  /** `kubectl exec` in the container's terms: runs a command in it as the image's user. */
  exec(command: string[]): Promise<CliResult>;
  /** `<cli> stop --time <grace>`: SIGTERM to PID 1, SIGKILL after the grace period. Resolves with the exit code and the seconds it took. */
  stopWithin(graceSeconds: number): Promise<{ exitCode: number; seconds: number }>;
  /** Removes the container, running or not; teardown calls it whatever happened. */
  remove(): Promise<void>;
}


/**
 * Runs one of the apps' images as its chart runs it (read-only, non-root, /tmp only), on a
 * free port of 127.0.0.1, and resolves once the app logs that it listens. A container that
 * never gets there is removed before the error is thrown.
 */
export async function startContainer(image: BuiltImage, options: ContainerOptions): Promise<RunningContainer> {
  const cli = new ContainerCli(image);
  const name = `${image.app}-image-test-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const env = { HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env, PORT: String(port) };
  const args = [
    'run',
    '--name',
    name,
    ...cli.podFlags(),
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    ...(options.volumes ?? []).flatMap(({ source, target }) => ['--volume', `${source}:${target}:ro`]),
    image.image,
  ];
  const child = spawn(cli.command, args, { env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const onData = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const remove = async () => {
    await cli.run(cli.removeArgs(name));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const stopWithin = async (graceSeconds: number) => {
    const started = Date.now();
    await cli.check(['stop', '--time', String(graceSeconds), name], (graceSeconds + 30) * 1000);
    const seconds = (Date.now() - started) / 1000;
    const exitCode = Number((await cli.check(['inspect', '--format', '{{.State.ExitCode}}', name])).trim());
    await exited;
    return { exitCode, seconds };
  };
  const container: RunningContainer = {
    name,
    cli,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    lines,
    exited,
    waitForLine: (pattern, timeoutMs) => waitForLog(container, pattern, { timeoutMs }).then((line) => JSON.stringify(line)),
    stop: async (graceMs = 10_000) => (await stopWithin(Math.ceil(graceMs / 1000))).exitCode,
    exec: (command) => cli.run(['exec', name, ...command]),
    stopWithin,
    remove,
  };
  try {
    // Pulling nothing and starting node takes a few seconds; a slow shared CI host gets more.
    await waitForLog(container, new RegExp(`^${image.app} listening on port ${port}$`), { timeoutMs: 30_000 });
  } catch (error) {
    await remove();
    throw error;
  }
  return container;
}
