import path from 'node:path';
import { imageRuntime } from './image-runtime';
import { RunningServer, startNodeProcess, stopUnlessSeen, WORKSPACE_ROOT } from './processes';

export const CLIENT_MAIN = path.join(WORKSPACE_ROOT, 'dist/apps/mcp-client/main.js');

/** Starts the built mcp-client on a free port and waits until it listens (not until it has discovered anything). */
export async function startClient(env: Record<string, string> = {}): Promise<RunningServer> {
  const runtime = imageRuntime('mcp-client');
  const proc = startNodeProcess(CLIENT_MAIN, { ...runtime.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, [], runtime.nodeFlags);
  const line = await stopUnlessSeen(proc, /mcp-client listening on port \d+/);
  const port = Number(/listening on port (\d+)/.exec(line)?.[1]);
  return Object.assign(proc, { port, baseUrl: `http://127.0.0.1:${port}` });
}
