import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// code-cache-main.js (dist's main.js) against a small bundle of the same shape as app.js, in real
// node processes: what it runs, when it writes a cache, and which cache it trusts.

const run = promisify(execFile);
const LOADER = path.join(__dirname, '..', 'code-cache-main.js');

/** A CommonJS "bundle" that loads a chunk beside it, as webpack's runtime does, and reports what it saw. */
function bundleSource(greeting: string): string {
  return `const chunk = require('./chunk.js');
function shout(text) { return text.toUpperCase(); }
process.stdout.write(JSON.stringify({ greeting: shout('${greeting}'), chunk, dirname: __dirname, filename: __filename, sameExports: exports === module.exports }) + '\\n');
`;
}

describe('code-cache-main.js', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'code-cache-main-'));
    copyFileSync(LOADER, path.join(dir, 'main.js'));
    writeFileSync(path.join(dir, 'chunk.js'), "module.exports = 'chunk loaded';\n");
    writeFileSync(path.join(dir, 'app.js'), bundleSource('hello'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function start(env: Record<string, string> = {}) {
    const { stdout, stderr } = await run(process.execPath, [path.join(dir, 'main.js')], { env: { PATH: process.env['PATH'] ?? '', NODE_DEBUG: 'code-cache', ...env } });
    return { report: JSON.parse(stdout) as Record<string, unknown>, debug: stderr };
  }

  const caches = () => readdirSync(dir).filter((name) => name.endsWith('.code-cache'));

  it('runs app.js as node would run it as a module, and writes no cache unless asked', async () => {
    const { report, debug } = await start();
    expect(report).toEqual({ greeting: 'HELLO', chunk: 'chunk loaded', dirname: dir, filename: path.join(dir, 'app.js'), sameExports: true });
    expect(debug).toContain('no code cache at');
    expect(caches()).toEqual([]);
  });

  it('writes the cache on exit when asked, and the next start runs from it', async () => {
    await start({ MCP_WRITE_CODE_CACHE: '1' });
    expect(caches()).toEqual([expect.stringMatching(/^app\.js\.[0-9a-f]{16}\.code-cache$/)]);
    const { report, debug } = await start();
    expect(report['greeting']).toBe('HELLO');
    expect(debug).toMatch(/code cache \S+ accepted/);
  });

  it('never uses the cache of another bundle, even one of the same length', async () => {
    await start({ MCP_WRITE_CODE_CACHE: '1' });
    const [oldCache] = caches();
    // Same length: V8's own check of a cache against its source would let this one through.
    writeFileSync(path.join(dir, 'app.js'), bundleSource('howdy'));
    const { report, debug } = await start();
    expect(report['greeting']).toBe('HOWDY');
    expect(debug).toContain('no code cache at');
    expect(debug).not.toContain(oldCache);
  });

  it('runs without a cache V8 refuses', async () => {
    await start({ MCP_WRITE_CODE_CACHE: '1' });
    writeFileSync(path.join(dir, caches()[0]), 'not a V8 code cache');
    const { report, debug } = await start();
    expect(report['greeting']).toBe('HELLO');
    expect(debug).toMatch(/code cache \S+ rejected by V8/);
  });
});
