import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../test-support/repo';

const run = promisify(execFile);

// `nx affected -t container` in CI rebuilds an app's image when the app, a library it is built
// from, its Dockerfile or the image tooling changes, and no other image. Asked of Nx itself
// (`nx show projects --affected --files`), so the project graph and the container targets'
// inputs are what is tested.
async function imagesRebuiltFor(file: string): Promise<string[]> {
  const { stdout } = await run(
    join(repoRoot, 'node_modules/.bin/nx'),
    ['show', 'projects', '--affected', `--files=${file}`, '--with-target', 'container', '--json'],
    { cwd: repoRoot, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, timeout: 60_000 },
  );
  return (JSON.parse(stdout) as string[]).sort();
}

describe('which images nx affected -t container rebuilds', () => {
  it.each([
    ['apps/mcp-server/src/main.ts', ['mcp-server']],
    ['apps/mcp-client/src/main.ts', ['mcp-client']],
    ['apps/mcp-server/Dockerfile', ['mcp-server']],
    // A library rebuilds the images of the apps built from it only (mcp-tools: the server's).
    ['libs/mcp-tools/src/index.ts', ['mcp-server']],
    ['libs/config/src/index.ts', ['mcp-client', 'mcp-server']],
    ['tools/scripts/container/build-image.sh', ['mcp-client', 'mcp-server']],
    ['tools/scripts/container/versions.env', ['mcp-client', 'mcp-server']],
    // Test-only code and charts are not in any image.
    ['libs/testing/src/index.ts', []],
    ['charts/mcp-server/values.yaml', []],
  ])('%s: %j', async (file, images) => {
    expect(await imagesRebuiltFor(file)).toEqual(images);
  });
});
