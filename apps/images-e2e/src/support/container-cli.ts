import path from 'node:path';
import { runCommand } from '@mcp-platform/testing';
import { WORKSPACE_ROOT } from './workspace';
import type { BuiltImage } from './built-images';

/** Written by tools/scripts/container/install-container-tools.sh: runc, and ulimits this host can grant. */
export const CONTAINERS_CONF = path.join(WORKSPACE_ROOT, '.tools/container/containers.conf');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The command that runs what an engine built: podman for buildah's images (they share the
 * local store), docker for the Docker daemon's.
 */
export class ContainerCli {
  readonly command: 'podman' | 'docker';
  readonly env: NodeJS.ProcessEnv;

  constructor(image: BuiltImage) {
    this.command = image.engine === 'docker' ? 'docker' : 'podman';
    this.env = this.command === 'podman' ? { ...process.env, CONTAINERS_CONF } : { ...process.env };
  }

  /**
   * `run` flags that give the container what the charts give the pod: a read-only root file
   * system with an emptyDir on /tmp, no capabilities, no privilege escalation. Host network,
   * so it reaches the emulator and backend on 127.0.0.1 (the apps listen on loopback only).
   */
  podFlags(): string[] {
    return [
      '--pull=never',
      '--read-only',
      // podman adds writable /run, /var/tmp and /dev/shm to --read-only by default; the pod has only /tmp.
      ...(this.command === 'podman' ? ['--read-only-tmpfs=false'] : []),
      '--tmpfs',
      '/tmp:rw,mode=1777,size=64m',
      '--cap-drop=ALL',
      '--security-opt',
      'no-new-privileges',
      '--network',
      'host',
    ];
  }

  /** Force-removes a container (killing it first if it still runs). */
  removeArgs(name: string): string[] {
    return this.command === 'podman' ? ['rm', '--force', '--time', '0', name] : ['rm', '--force', name];
  }

  /** Runs the command to its end (bounded) and resolves with its exit code and output. */
  async run(args: string[], timeoutMs = 30_000): Promise<CliResult> {
    const { code, stdout, stderr } = await runCommand(this.command, args, { env: this.env, timeoutMs });
    return { code, stdout, stderr };
  }

  /** Like run, but a non-zero exit is an error naming the command and its output. */
  async check(args: string[], timeoutMs?: number): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.code !== 0) throw new Error(`${this.command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
    return result.stdout;
  }
}
