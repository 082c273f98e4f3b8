import http from 'node:http';

export interface CallResult {
  /** The caller's marker, sent as `x-request-id`. */
  id: string;
  startedAt: number;
  ms: number;
  status: number | string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One POST of a JSON body through node:http with the given agent; never throws (a transport error becomes the status). */
export function post(url: string, body: unknown, headers: Record<string, string>, agent: http.Agent, id: string): Promise<CallResult> {
  const payload = JSON.stringify(body);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), 'x-request-id': id, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({ id, startedAt, ms: performance.now() - startedAt, status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.once('aborted', () => resolve({ id, startedAt, ms: performance.now() - startedAt, status: 'aborted', headers: res.headers, text: '' }));
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ id, startedAt, ms: performance.now() - startedAt, status: error.code ?? error.message, headers: {}, text: '' }),
    );
    req.end(payload);
  });
}

/** Runs `total` calls with at most `concurrency` in flight; `call(i)` makes the i-th. */
export async function runBounded<T>(total: number, concurrency: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      results[index] = await call(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

/** `callers` loops each making calls one after another until `stop()`; resolves with every result once all have stopped. */
export interface SteadyLoad<T> {
  readonly results: T[];
  /** Resolves once `count` calls have been answered in all. */
  answered(count: number): Promise<void>;
  stop(): Promise<T[]>;
}

export function steadyLoad<T>(callers: number, call: (index: number) => Promise<T>, pauseMs = 0): SteadyLoad<T> {
  const results: T[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let stopping = false;
  let next = 0;
  const loops = Array.from({ length: callers }, async () => {
    while (!stopping) {
      results.push(await call(next++));
      for (const waiter of waiters.filter((candidate) => results.length >= candidate.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    results,
    answered: (count) => (results.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      return results;
    },
  };
}

/** A tools/call on `/mcp` as a 2026-07-28 client sends it (no session, per-request metadata). */
export function modernToolCall(userId: string, id: number | string = 1) {
  return {
    headers: {
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'get_user_profile',
    },
    body: {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: 'get_user_profile',
        arguments: { user_id: userId },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'resilience-e2e', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
  };
}

/** The JSON-RPC message of an `/mcp` answer, whether it came as JSON or as one SSE event. */
export function jsonRpcOf(text: string): { result?: { isError?: boolean; content?: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> }; error?: unknown } {
  const data = /^data: (.*)$/m.exec(text);
  return JSON.parse(data ? data[1] : text);
}
