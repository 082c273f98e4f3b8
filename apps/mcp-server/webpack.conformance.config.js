// The server with the MCP conformance suite's fixed tools (src/conformance). Test-only: built by
// `nx run mcp-server:build-conformance`, run by tools/scripts/run-conformance.mjs and the
// benchmark, never deployed. Bundled exactly as the deployed server is.
const { join } = require('path');
const { bundledNodeApp } = require('./webpack.bundle');

module.exports = bundledNodeApp({
  outputPath: join(__dirname, '../../dist/apps/mcp-server-conformance'),
  main: './src/conformance/main.conformance.ts',
  generatePackageJson: false,
});
