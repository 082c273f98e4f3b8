import type { RunningProcess } from './processes';

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The parsed JSON log lines whose `msg` matches `pattern` (a string must match the whole message). */
export function logLines(proc: RunningProcess, pattern: RegExp | string): LogLine[] {
  const matcher = typeof pattern === 'string' ? new RegExp(`^${escape(pattern)}$`) : pattern;
  return proc.lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      return typeof parsed.msg === 'string' && matcher.test(parsed.msg) ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** Resolves with the `count`-th log line whose message matches `pattern`, as soon as the process writes it. */
export function waitForLog(proc: RunningProcess, pattern: RegExp | string, options: { count?: number; timeoutMs?: number } = {}): Promise<LogLine> {
  const count = options.count ?? 1;
  const streams = [proc.child.stdout, proc.child.stderr];
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why} before log line ${count} matching ${pattern}; output:\n${proc.lines.join('\n')}`));
    };
    // The process helper's own 'data' listener, registered first, has already added the chunk's lines.
    const check = () => {
      const found = logLines(proc, pattern);
      if (found.length < count) return false;
      cleanup();
      resolve(found[count - 1]);
      return true;
    };
    const onExit = () => void (check() || fail('the process exited'));
    const timer = setTimeout(() => fail(`${options.timeoutMs ?? 15_000} ms passed`), options.timeoutMs ?? 15_000);
    const cleanup = () => {
      clearTimeout(timer);
      for (const stream of streams) stream?.off('data', check);
      proc.child.off('exit', onExit);
    };
    if (check()) return;
    for (const stream of streams) stream?.on('data', check);
    proc.child.once('exit', onExit);
  });
}
