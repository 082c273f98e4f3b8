import 'reflect-metadata';
import { loadConfigOrExit } from '@mcp-platform/config';
import { startServer } from '../bootstrap';
import { ServerConfig } from '../app/config/server-config';
import { ConformanceToolsModule } from './conformance-tools.module';

/**
 * The production server plus the conformance suite's fixed tools. Built by
 * `nx run mcp-server:build-conformance` into dist/apps/mcp-server-conformance; run by
 * tools/scripts/run-conformance.mjs. Not for deployment.
 */
startServer(loadConfigOrExit(ServerConfig, process.env), [ConformanceToolsModule]).catch((error: unknown) => {
  process.stderr.write(`mcp-server (conformance) failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
