import { spawn } from 'node:child_process';
import net from 'node:net';

/** A free TCP port on 127.0.0.1, for a process that must be told its port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  durationMs: number;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** What a timeout error calls the command (default: the command and its arguments). */
  label?: string;
}

/**
 * Runs a command to its end without blocking the event loop. It gets its own process group, so a
 * timeout kills it and every child it started, then rejects naming it with its output so far.
 */
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const label = options.label ?? [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString('utf8')), (output += chunk.toString('utf8'))));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString('utf8')), (output += chunk.toString('utf8'))));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${label} did not finish within ${options.timeoutMs} ms; output:\n${output}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output, durationMs: performance.now() - started });
    });
  });
}
