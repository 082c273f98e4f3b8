// The server runs in the benchmark as its image runs it: the node flags of the Dockerfile's CMD
// and the runtime environment its ENV sets (MALLOC_ARENA_MAX), read from apps/<app>/Dockerfile
// so that a change there is measured here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './processes.mjs';

const RUNTIME_ENV = ['MALLOC_ARENA_MAX'];

export function productionRuntime(app) {
  const dockerfile = path.join(root, 'apps', app, 'Dockerfile');
  const text = readFileSync(dockerfile, 'utf8');
  const cmd = /^CMD (\[.*\])\s*$/m.exec(text);
  if (!cmd) throw new Error(`${dockerfile}: no CMD in exec form (CMD ["node", ..., "main.js"])`);
  const argv = JSON.parse(cmd[1]);
  if (argv[0] !== 'node' || argv.at(-1) !== 'main.js') throw new Error(`${dockerfile}: CMD is not ["node", ...flags, "main.js"]: ${cmd[1]}`);
  const env = {};
  for (const name of RUNTIME_ENV) {
    const match = new RegExp(`\\b${name}=(\\S+)`).exec(text);
    if (match) env[name] = match[1];
  }
  return { nodeFlags: argv.slice(1, -1), env };
}
