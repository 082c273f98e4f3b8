import 'reflect-metadata';
import { loadConfigOrExit } from '@mcp-platform/config';
import { startClient } from './bootstrap';
import { ClientConfig } from './app/config/client-config';

startClient(loadConfigOrExit(ClientConfig, process.env)).catch((error: unknown) => {
  process.stderr.write(`mcp-client failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
