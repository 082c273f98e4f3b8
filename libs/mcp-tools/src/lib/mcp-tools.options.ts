import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { EntraTokenVerifierOptions } from '@mcp-platform/azure-auth';
import type { StreamLimits } from './held-streams';

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
  /** Bounds of the streams held open (`subscriptions/listen`, GET); each missing one takes its default. */
  streams?: Partial<StreamLimits>;
  /** Inbound Entra bearer auth on the MCP endpoints; off when absent. */
  auth?: EntraTokenVerifierOptions & { scopesSupported?: string[] };
}

export const DEFAULT_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;
/**
 * 1,000 held streams were measured at +64 MB of RSS (131 -> 195 MB; 3,000 on the stock path at
 * +114 MB): beside a busy server's ~350 MB that stays inside the chart's 512 MiB limit, and 10,000
 * would not. A client holds one listen stream per connection, so 10 leave room for a few replicas
 * of one client behind one identity. An hour is about an Entra access token's life: a stream does
 * not long outlive the token that opened it.
 */
export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxStreams: 1_000, maxStreamsPerCaller: 10, maxStreamLifetimeMs: 3_600_000 };

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: MCP_TOOLS_OPTIONS } = new ConfigurableModuleBuilder<McpToolsModuleOptions>()
  .setClassMethodName('forRoot')
  .build();
