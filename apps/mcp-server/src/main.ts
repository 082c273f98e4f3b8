import 'reflect-metadata';
import { loadConfigOrExit } from '@mcp-platform/config';
import { startServer } from './bootstrap';
import { ServerConfig } from './app/config/server-config';

startServer(loadConfigOrExit(ServerConfig, process.env)).catch((error: unknown) => {
  process.stderr.write(`mcp-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
