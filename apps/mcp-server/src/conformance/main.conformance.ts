import 'reflect-metadata';
import { startServer } from '../bootstrap';
import { ConfigError, loadConfig } from '../app/config/load-config';
import { ServerConfig } from '../app/config/server-config';
import { ConformanceToolsModule } from './conformance-tools.module';

/**
 * The production server plus the conformance suite's fixed tools. Built by
 * `nx run mcp-server:build-conformance` into dist/apps/mcp-server-conformance; run by
 * tools/scripts/run-conformance.mjs. Not for deployment.
 */
async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(ServerConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  await startServer(config, [ConformanceToolsModule]);
}

void main().catch((error: unknown) => {
  process.stderr.write(`mcp-server (conformance) failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
