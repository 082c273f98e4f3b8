import { Module } from '@nestjs/common';
import { ContentTools } from './tools/content-tools';
import { EchoTool } from './tools/echo-tool';
import { ErrorTool } from './tools/error-tool';
import { JsonSchemaTool } from './tools/json-schema-tool';

/**
 * The fixed tools the MCP conformance suite (`@modelcontextprotocol/conformance`) calls, plus the
 * benchmark's `echo`. Test-only: loaded by `main.conformance.ts` (target
 * `mcp-server:build-conformance`), never by `main.ts`.
 */
@Module({
  providers: [ContentTools, ErrorTool, JsonSchemaTool, EchoTool],
})
export class ConformanceToolsModule {}
