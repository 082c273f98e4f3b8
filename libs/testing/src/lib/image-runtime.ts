import { readFileSync } from 'node:fs';
import path from 'node:path';

/** How an app's image runs it: the node flags of its Dockerfile's exec-form CMD and the runtime tuning its ENV sets. */
export interface ImageRuntime {
  nodeFlags: string[];
  env: Record<string, string>;
}

// Settings of the image that change how the process behaves under load (memory), not what it does.
const RUNTIME_ENV = ['MALLOC_ARENA_MAX'];

/**
 * Read from apps/<app>/Dockerfile, so the suites run the server as the image does: the resilience
 * suite's memory bounds hold for the flags that ship, not for Node's defaults.
 */
export function imageRuntime(app: string): ImageRuntime {
  const dockerfile = path.resolve(__dirname, '../../../../apps', app, 'Dockerfile');
  const text = readFileSync(dockerfile, 'utf8');
  const argv: unknown = JSON.parse(/^CMD (\[.*\])\s*$/m.exec(text)?.[1] ?? 'null');
  if (!Array.isArray(argv) || argv[0] !== 'node' || argv.at(-1) !== 'main.js') {
    throw new Error(`${dockerfile}: expected CMD ["node", ...flags, "main.js"]`);
  }
  const env: Record<string, string> = {};
  for (const name of RUNTIME_ENV) {
    const value = new RegExp(`\\b${name}=(\\S+)`).exec(text)?.[1];
    if (value !== undefined) env[name] = value;
  }
  return { nodeFlags: argv.slice(1, -1).map(String), env };
}
