import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EntraTokenVerifierOptions } from '@mcp-platform/azure-auth';

export interface McpToolsModuleOptions {
  /** Name and version the server reports in `initialize` / `server/discover`. */
  serverInfo: { name: string; version: string };
  /** Hostnames accepted in the `Host` header of the MCP endpoint (DNS-rebinding protection). */
  allowedHosts?: string[];
  /** Hostnames accepted in a browser's `Origin` header; requests without one are allowed. */
  allowedOrigins?: string[];
  /** Upper bound of one tool call when the tool sets none, in milliseconds. */
  defaultToolTimeoutMs?: number;
  /** Largest accepted request body of the MCP endpoints, in bytes. */
  maxRequestBodyBytes?: number;
  /** Largest tool result returned to a caller, in bytes; a larger one becomes an `isError` result. */
  maxResultBytes?: number;
  /**
   * The URL callers reach the server at (scheme, host, optional path prefix, no trailing slash):
   * the origin of the RFC 9728 `resource` and `resource_metadata` URLs. Without it they are built
   * from the request's allow-listed Host.
   */
  publicUrl?: string;
  /** Inbound Entra bearer auth on the MCP endpoints; off when absent. */
  auth?: EntraTokenVerifierOptions & { scopesSupported?: string[] };
}

export const DEFAULT_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: MCP_TOOLS_OPTIONS } = new ConfigurableModuleBuilder<McpToolsModuleOptions>()
  .setClassMethodName('forRoot')
  .build();
