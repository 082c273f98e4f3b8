export * from './lib/mcp-tools.module';
