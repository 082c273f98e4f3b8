// The webpack setup both mcp-server builds share (webpack.config.js, the deployed one, and
// webpack.conformance.config.js, the one the conformance suite and the benchmark run).
// Third-party packages are bundled into main.js instead of being loaded from node_modules at
// start: Node resolving, reading and compiling ~2,000 files was most of the cold start (~850 ms
// -> ~550-590 ms, `npm run bench`), and the image no longer carries what main.js already holds.
const { readFileSync } = require('fs');
const { join } = require('path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const TerserPlugin = require('terser-webpack-plugin');
const { DefinePlugin } = require('webpack');
const { readCachedProjectGraph } = require('@nx/devkit');
const { createLockFile } = require('@nx/js');

// @azure/identity is loaded on first use only (libs/azure-auth): it stays a real package, the
// one dependency dist's package.json keeps and the image installs.
const LOADED_FROM_NODE_MODULES = ['@azure/identity'];
// Optional packages NestJS and Terminus probe for with require() and do without when it throws
// (microservices, websockets, the Express adapter, Fastify plugins, Swagger docs for health
// checks). None is installed in the image, so each probe fails there and the feature stays off.
const OPTIONAL_PROBES = [
  '@nestjs/microservices',
  '@nestjs/microservices/microservices-module.js',
  '@nestjs/websockets/socket-module.js',
  '@nestjs/swagger',
  '@nestjs/platform-express',
  '@fastify/multipart',
  '@fastify/static',
  '@fastify/view',
  'class-transformer/storage',
];

/**
 * Whitespace and comments only: no renaming (NestJS reports providers by class name) and no
 * rewriting. ASCII output keeps V8's copy of the source one byte per character (a single
 * character above U+00FF in 5 MB of bundle makes it two), which is ~10 MB of RSS.
 */
const stripWhitespace = {
  apply(compiler) {
    compiler.options.optimization.minimize = true;
    compiler.options.optimization.minimizer = [
      new TerserPlugin({
        extractComments: false,
        terserOptions: { compress: false, mangle: false, keep_classnames: true, keep_fnames: true, format: { comments: false, ascii_only: true } },
      }),
    ];
  },
};

/**
 * generatePackageJson lists every package the project imports; with them bundled, the image
 * needs only those left out. Rewrites dist's package.json and its lock to that set (Nx prunes
 * the lock from the workspace's, as it does for the full list).
 */
const onlyUnbundledDependencies = {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('OnlyUnbundledDependencies', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'OnlyUnbundledDependencies', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE },
        () => {
          const asset = compilation.getAsset('package.json');
          if (!asset) return;
          const packageJson = JSON.parse(asset.source.source().toString());
          packageJson.dependencies = Object.fromEntries(
            Object.entries(packageJson.dependencies ?? {}).filter(([name]) => LOADED_FROM_NODE_MODULES.includes(name)),
          );
          const { RawSource } = compiler.webpack.sources;
          compilation.updateAsset('package.json', new RawSource(`${JSON.stringify(packageJson, null, 2)}\n`));
          const lock = createLockFile(packageJson, readCachedProjectGraph(), 'npm');
          if (compilation.getAsset('package-lock.json')) compilation.updateAsset('package-lock.json', new RawSource(lock));
          else compilation.emitAsset('package-lock.json', new RawSource(lock));
        },
      );
    });
  },
};

/**
 * The bundle is app.js; main.js, what node starts, is code-cache-main.js, which runs app.js from
 * a V8 code cache when the image build made one (see that file).
 */
const codeCacheEntry = {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CodeCacheEntry', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'CodeCacheEntry', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const { RawSource } = compiler.webpack.sources;
        compilation.emitAsset('main.js', new RawSource(readFileSync(join(__dirname, 'code-cache-main.js'), 'utf8')), { minimized: true });
      });
      compilation.fileDependencies.add(join(__dirname, 'code-cache-main.js'));
    });
  },
};

/** @param {{ outputPath: string, main: string, generatePackageJson: boolean }} options */
function bundledNodeApp({ outputPath, main, generatePackageJson }) {
  return {
    // Only the entry NxAppWebpackPlugin adds (named after outputFileName), not webpack's default `main: './src'`.
    entry: {},
    output: {
      path: outputPath,
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
    },
    // Packages ship source maps that point at sources they do not ship; nothing to act on.
    ignoreWarnings: [/Failed to parse source map/],
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main,
        outputFileName: 'app.js',
        tsConfig: './tsconfig.app.json',
        assets: [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson,
        sourceMap: true,
        externalDependencies: [...LOADED_FROM_NODE_MODULES, ...OPTIONAL_PROBES],
      }),
      // After NxAppWebpackPlugin, which turns minimising off with `optimization: false`.
      stripWhitespace,
      codeCacheEntry,
      ...(generatePackageJson ? [onlyUnbundledDependencies] : []),
      // ESM packages (Terminus) use import.meta.dirname, which a CommonJS bundle has as __dirname.
      new DefinePlugin({ 'import.meta.dirname': '__dirname' }),
    ],
  };
}

module.exports = { bundledNodeApp };
