import { ChildProcess, spawn } from 'node:child_process';
import { repoRoot } from '../../src/layout.mjs';
import type { ClusterEnv } from './cluster-env';

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command as a person would after `. .cluster/env`, from the repository root. */
export function run(env: ClusterEnv, command: string, args: string[], timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took more than ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like `run`, but a non-zero exit is an error that shows the output. */
export async function must(env: ClusterEnv, command: string, args: string[], timeoutMs?: number): Promise<string> {
  const result = await run(env, command, args, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `kubectl port-forward <target> :<port>`: resolves with the local URL; stop() kills it by pid. */
export function portForward(env: ClusterEnv, namespace: string, target: string, port: number): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('kubectl', ['port-forward', '-n', namespace, target, `:${port}`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const stop = () => {
      if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`kubectl port-forward ${target} printed no address in 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${match[1]}`, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward ${target} exited ${code}: ${output}`));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value; the error says what was awaited and the last value. */
export async function eventually<T>(what: string, check: () => Promise<T>, timeoutMs = 120_000, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last as T;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
