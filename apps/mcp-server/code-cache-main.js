'use strict';
// The process entry of the server (dist/.../main.js): runs the webpack bundle beside it, app.js,
// from a V8 code cache when one was made for exactly that bundle.
//
// Why by hand: node's own compile cache (NODE_COMPILE_CACHE) stores the code V8 compiles before
// the bundle runs, which for a 5 MB bundle of module factories is little more than the top
// level; start-up still compiles every module's code as it first runs it (~60 ms saved of a
// ~560 ms cold start, measured). A cache made after start-up (vm.Script#createCachedData) holds
// everything start-up compiled: ~200 ms saved (`npm run bench`, cold start).
//
// The cache is made by starting the server once with MCP_WRITE_CODE_CACHE=1 and stopping it
// (the image build does it; so does the benchmark): it is written on exit. Its file name carries
// the bundle's SHA-256, because V8 itself checks only the source's length. A cache V8 refuses
// (another node version or V8 flags) costs nothing but the compile it would have saved.
// NODE_DEBUG=code-cache says what happened.
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { debuglog } = require('node:util');
const vm = require('node:vm');

const debug = debuglog('code-cache');
const bundle = path.join(__dirname, 'app.js');
const bytes = readFileSync(bundle);
const cacheFile = path.join(__dirname, `app.js.${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.code-cache`);

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    debug('no code cache at %s', cacheFile);
    return undefined;
  }
}

const cachedData = readCache();
// The bundle is ASCII (webpack.bundle.js), so latin1 decodes it exactly, into a one-byte string.
const script = new vm.Script(Module.wrap(bytes.toString('latin1')), {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (cachedData) debug(script.cachedDataRejected ? 'code cache %s rejected by V8' : 'code cache %s accepted', cacheFile);

if (process.env.MCP_WRITE_CODE_CACHE === '1') {
  process.once('exit', () => {
    writeFileSync(cacheFile, script.createCachedData());
    debug('code cache written to %s', cacheFile);
  });
}

const appModule = new Module(bundle, module);
appModule.filename = bundle;
appModule.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(appModule.exports, Module.createRequire(bundle), appModule, bundle, __dirname);
