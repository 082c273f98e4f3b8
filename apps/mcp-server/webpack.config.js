const { join } = require('path');
const { bundledNodeApp } = require('./webpack.bundle');

module.exports = bundledNodeApp({
  outputPath: join(__dirname, '../../dist/apps/mcp-server'),
  main: './src/main.ts',
  generatePackageJson: true,
});
