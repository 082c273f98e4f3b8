import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { FastifyReply } from 'fastify';
import { CatalogueTool } from '../discovery/catalogue';
import { CatalogueStore } from '../discovery/catalogue-store';
import { ToolDiscoveryService } from '../discovery/tool-discovery.service';
import { McpConnection } from '../mcp/mcp-connection';
import { callerGoneSignal } from './caller-gone';
import { ToolCallService } from './tool-call.service';

export interface CatalogueResponse {
  /** The MCP endpoint the catalogue comes from. */
  server: string;
  /** True while the catalogue is not known to be current (never listed, or the server is away). */
  stale: boolean;
  /** Why it is stale. */
  reason?: string;
  /** When the catalogue's current version was first listed; null before any listing. */
  discoveredAt: string | null;
  /** The MCP revision spoken with the server, when connected. */
  protocolVersion?: string;
  tools: readonly CatalogueTool[];
}

const CATALOGUE_SCHEMA = {
  type: 'object',
  required: ['server', 'stale', 'discoveredAt', 'tools'],
  properties: {
    server: { type: 'string', format: 'uri' },
    stale: { type: 'boolean' },
    reason: { type: 'string' },
    discoveredAt: { type: ['string', 'null'], format: 'date-time' },
    protocolVersion: { type: 'string' },
    tools: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'description', 'inputSchema'],
        properties: {
          name: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          inputSchema: { type: 'object' },
          outputSchema: { type: 'object' },
          annotations: { type: 'object' },
        },
      },
    },
  },
};

/** The REST facade: the catalogue, and a tool call per tool for callers that do not speak MCP. */
@ApiTags('catalogue')
@Controller('tools')
export class ToolsController {
  constructor(
    private readonly store: CatalogueStore,
    private readonly discovery: ToolDiscoveryService,
    private readonly connection: McpConnection,
    private readonly calls: ToolCallService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tools discovered on the MCP server', description: 'Served while the server is away too, marked `stale: true`.' })
  @ApiOkResponse({ schema: CATALOGUE_SCHEMA })
  catalogue(): CatalogueResponse {
    const snapshot = this.store.current;
    const status = this.discovery.status();
    return {
      server: this.connection.shownUrl,
      stale: status.stale,
      ...(status.reason !== undefined && { reason: status.reason }),
      discoveredAt: snapshot ? snapshot.discoveredAt.toISOString() : null,
      ...(this.connection.protocolVersion !== undefined && { protocolVersion: this.connection.protocolVersion }),
      tools: snapshot?.tools ?? [],
    };
  }

  /** Documented per tool, from the live catalogue (see openapi-document.ts). */
  @Post(':name/call')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  call(@Param('name') name: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<CallToolResult> {
    return this.calls.call(name, body, callerGoneSignal(reply.raw));
  }
}
