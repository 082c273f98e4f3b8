import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { imageRuntime } from './image-runtime';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
export const SERVER_MAIN = path.join(WORKSPACE_ROOT, 'dist/apps/mcp-server/main.js');
export const SAMPLE_BACKEND_MAIN = path.join(WORKSPACE_ROOT, 'tools/dev/sample-backend/src/main.mjs');

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Every line written to stdout and stderr so far. */
  readonly lines: string[];
  /** Resolves with the first line (already written or still to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it is still alive after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts a Node script on the workspace's Node (the one running Jest) and captures its output. */
export function startNodeProcess(script: string, env: Record<string, string>, args: string[] = [], nodeFlags: string[] = []): RunningProcess {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(line);
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForLine = (pattern: RegExp, timeoutMs = 15_000) => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
      }, timeoutMs);
      waiters.add(waiter);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`process exited before printing ${pattern}; output:\n${lines.join('\n')}`));
      });
    });
  };

  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  return { child, lines, waitForLine, exited, stop };
}

export interface RunningServer extends RunningProcess {
  readonly port: number;
  readonly baseUrl: string;
}

/** Waits for a start-up line; a process that never prints it is stopped, not left behind. */
export async function stopUnlessSeen(proc: RunningProcess, pattern: RegExp, timeoutMs?: number): Promise<string> {
  try {
    return await proc.waitForLine(pattern, timeoutMs);
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
}

/** Starts the built mcp-server on a free port and waits until it listens. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const runtime = imageRuntime('mcp-server');
  const proc = startNodeProcess(SERVER_MAIN, { ...runtime.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, [], runtime.nodeFlags);
  const line = await stopUnlessSeen(proc, /mcp-server listening on port \d+/);
  const port = Number(/listening on port (\d+)/.exec(line)?.[1]);
  return Object.assign(proc, { port, baseUrl: `http://127.0.0.1:${port}` });
}

/** Starts the sample backend; `port` 0 picks a free one. `env` turns on bearer checks (BACKEND_AUTH_*). */
export async function startSampleBackend(port = 0, env: Record<string, string> = {}): Promise<RunningServer> {
  const proc = startNodeProcess(SAMPLE_BACKEND_MAIN, { PORT: String(port), HOST: '127.0.0.1', ...env });
  const line = await stopUnlessSeen(proc, /sample-backend listening on http:\/\/127\.0\.0\.1:\d+/);
  const actual = Number(/:(\d+)"/.exec(line)?.[1]);
  return Object.assign(proc, { port: actual, baseUrl: `http://127.0.0.1:${actual}` });
}

/** Posts a JSON body and returns status, headers and the parsed JSON (or text). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return readJson(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** GETs a URL and returns status, headers and the parsed JSON body (undefined when it is not JSON). */
export async function getJson(url: string, headers: Record<string, string> = {}) {
  return readJson(await fetch(url, { headers }));
}

async function readJson(response: Response) {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests navigate response bodies freely
  return { status: response.status, headers: response.headers, text, json: json as any };
}

/** A request through node:http, which (unlike fetch) lets a test send any Host header. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
