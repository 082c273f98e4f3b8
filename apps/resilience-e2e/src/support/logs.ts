import type { RunningProcess } from '@mcp-platform/testing';

interface LogLine {
  msg: string;
  time: number;
}

function matching(proc: RunningProcess, pattern: RegExp): LogLine[] {
  return proc.lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      return typeof parsed.msg === 'string' && pattern.test(parsed.msg) ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** How many JSON log lines of `proc` have a message matching `pattern`. */
export function countLogs(proc: RunningProcess, pattern: RegExp): number {
  return matching(proc, pattern).length;
}

/** Resolves with the `count`-th JSON log line whose message matches `pattern`, as soon as it is written. */
export function waitForLog(proc: RunningProcess, pattern: RegExp, count = 1, timeoutMs = 15_000): Promise<LogLine> {
  const streams = [proc.child.stdout, proc.child.stderr];
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = matching(proc, pattern);
      if (found.length < count) return false;
      cleanup();
      resolve(found[count - 1]);
      return true;
    };
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why} before log line ${count} matching ${pattern}; last output:\n${proc.lines.slice(-30).join('\n')}`));
    };
    const onExit = () => void (check() || fail('the process exited'));
    const timer = setTimeout(() => fail(`${timeoutMs} ms passed`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      for (const stream of streams) stream?.off('data', check);
      proc.child.off('exit', onExit);
    };
    if (check()) return;
    // The process helper's own 'data' listener, registered first, has already stored the chunk's lines.
    for (const stream of streams) stream?.on('data', check);
    proc.child.once('exit', onExit);
  });
}
