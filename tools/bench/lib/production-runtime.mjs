// The server runs in the benchmark as its image runs it: the node flags of the Dockerfile's CMD
// and the runtime environment its ENV sets (MALLOC_ARENA_MAX), read from apps/<app>/Dockerfile
// so that a change there is measured here. When the image build makes V8's code cache for the
// bundle (apps/mcp-server/code-cache-main.js), the benchmark makes one the same way
// (warmCodeCache) before it measures anything.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, startHttpServer, stopProcess } from './processes.mjs';

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
  return { nodeFlags: argv.slice(1, -1), env, codeCache: /\bMCP_WRITE_CODE_CACHE=1\b/.test(text) };
}

/**
 * What the image build does when it makes the code cache: start the server with
 * MCP_WRITE_CODE_CACHE=1, stop it once it listens. The cache lands beside the bundle, named after
 * its hash, so a rebuilt bundle never meets an old one.
 */
export async function warmCodeCache({ script, nodeFlags, env, core, codeCache }) {
  if (!codeCache) return;
  const server = await startHttpServer({ script, nodeFlags, env: { ...env, MCP_WRITE_CODE_CACHE: '1' }, core });
  await stopProcess(server.child);
}
