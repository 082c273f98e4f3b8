import { SetMetadata, Type } from '@nestjs/common';
import type { ToolAnnotations } from '@modelcontextprotocol/server';

export const MCP_TOOL_METADATA = 'mcp-platform:tool';

/** MCP tool names: 1-128 characters of letters, digits, `_`, `-` and `.` (spec 2025-11-25, "Tool names"). */
export const MAX_TOOL_NAME_LENGTH = 128;
export const MCP_TOOL_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_TOOL_NAME_LENGTH}}$`);

export interface McpToolOptions {
  /** The name callers use in `tools/call`; must match {@link MCP_TOOL_NAME_PATTERN}. */
  name: string;
  description: string;
  title?: string;
  /** A DTO class with class-validator decorators: validated on every call and published as `inputSchema`. */
  input: Type<object>;
  /** Optional DTO class for the result: published as `outputSchema`, returned as `structuredContent`. */
  output?: Type<object>;
  annotations?: ToolAnnotations;
  /** Upper bound for one call, in milliseconds; the registry's default applies when absent. */
  timeoutMs?: number;
}

/**
 * Marks a method of a Nest provider as an MCP tool. The method receives the validated input DTO
 * and a {@link ToolCallContext}; it returns the output DTO (when `output` is set), a string, or
 * a full `CallToolResult`.
 */
export const McpTool = (options: McpToolOptions): MethodDecorator => SetMetadata(MCP_TOOL_METADATA, options);
