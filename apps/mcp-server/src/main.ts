import 'reflect-metadata';
import { startServer } from './bootstrap';
import { ConfigError, loadConfig } from './app/config/load-config';
import { ServerConfig } from './app/config/server-config';

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(ServerConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  await startServer(config);
}

void main().catch((error: unknown) => {
  process.stderr.write(`mcp-server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
