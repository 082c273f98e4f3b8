import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsPositive, IsString, IsUrl, Max, Min, ValidateIf } from 'class-validator';
import { parseBoolean, parseList, parseNumber, ServiceConfig } from '@mcp-platform/config';
import { normalizeMcpServerUrl } from '../mcp/mcp-server-url';

/**
 * The client's settings, read from the environment once at start-up. The names are those the
 * mcp-client chart renders (`app.mcpServerUrl` -> MCP_SERVER_URL, `azure.*` -> AZURE_*); the rest
 * have defaults fit for AKS and are set only by tests and local runs. PORT, LOG_LEVEL and the Azure
 * identity come from ServiceConfig.
 */
export class ClientConfig extends ServiceConfig {
  /** The server's MCP endpoint; a bare base URL (the guide's `http://mcp-server:8000`) gets `/mcp`. */
  @Transform(({ value }) => normalizeMcpServerUrl(value === undefined || value === '' ? 'http://mcp-server:8000' : value))
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'MCP_SERVER_URL must be an http(s) URL' })
  MCP_SERVER_URL!: string;

  /** Scope of the Entra token sent to the server (e.g. `api://mcp-server/.default`); unset or empty: no token is sent. */
  @Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value))
  @IsOptional()
  @IsString()
  MCP_SERVER_SCOPE?: string;

  @ValidateIf((config: ClientConfig) => config.MCP_CLIENT_AUTH_ENABLED || config.AZURE_TENANT_ID !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'AZURE_TENANT_ID must be set when MCP_CLIENT_AUTH_ENABLED is true' })
  AZURE_TENANT_ID?: string;

  /** Hostnames accepted in the Host header of the facade (DNS-rebinding protection); health and metrics are exempt. */
  @Transform(({ value }) => parseList(value ?? 'localhost,127.0.0.1,[::1],mcp-client'))
  @IsString({ each: true })
  @ArrayNotEmpty({ message: 'MCP_CLIENT_ALLOWED_HOSTS must name at least one host' })
  MCP_CLIENT_ALLOWED_HOSTS!: string[];

  /** Hostnames accepted in a browser Origin header; defaults to the allowed hosts. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : parseList(value)))
  @IsString({ each: true })
  MCP_CLIENT_ALLOWED_ORIGINS?: string[];

  /** Demand an Entra access token on the facade's tool routes and its OpenAPI document (health and metrics stay open). */
  @Transform(({ value }) => parseBoolean(value, false))
  @IsBoolean({ message: 'MCP_CLIENT_AUTH_ENABLED must be true or false' })
  MCP_CLIENT_AUTH_ENABLED!: boolean;

  /** Accepted `aud` values: the client's app ID URI and/or client id. */
  @Transform(({ value }) => parseList(value ?? 'api://mcp-client'))
  @IsString({ each: true })
  @ArrayNotEmpty({ message: 'MCP_CLIENT_AUTH_AUDIENCES must name at least one audience' })
  MCP_CLIENT_AUTH_AUDIENCES!: string[];

  /** App roles a caller's token must carry. */
  @Transform(({ value }) => parseList(value ?? 'Tools.Call'))
  @IsString({ each: true })
  MCP_CLIENT_AUTH_REQUIRED_ROLES!: string[];

  /** Seconds between catalogue refreshes; also how recently the server must have answered for readiness. */
  @Transform(({ value }) => parseNumber(value, 30))
  @IsPositive({ message: 'DISCOVERY_INTERVAL must be a positive number of seconds, at most 3600' })
  @Max(3600, { message: 'DISCOVERY_INTERVAL must be a positive number of seconds, at most 3600' })
  DISCOVERY_INTERVAL!: number;

  /** First retry delay after a failed discovery, in seconds; doubles per failure, with full jitter. */
  @Transform(({ value }) => parseNumber(value, 1))
  @IsPositive({ message: 'DISCOVERY_RETRY_INITIAL_DELAY must be a positive number of seconds' })
  DISCOVERY_RETRY_INITIAL_DELAY!: number;

  /** Largest retry delay after failed discoveries, in seconds. */
  @Transform(({ value }) => parseNumber(value, 30))
  @IsPositive({ message: 'DISCOVERY_RETRY_MAX_DELAY must be a positive number of seconds' })
  DISCOVERY_RETRY_MAX_DELAY!: number;

  /**
   * Follow `notifications/tools/list_changed` where the server offers it (the 2025 revisions' GET
   * stream, a `subscriptions/listen` stream on 2026-07-28). Such a stream stays open; false leaves
   * only the periodic refresh and the `ttlMs` hint.
   */
  @Transform(({ value }) => parseBoolean(value, true))
  @IsBoolean({ message: 'DISCOVERY_LIST_CHANGED must be true or false' })
  DISCOVERY_LIST_CHANGED!: boolean;

  /** Bound of one `POST /tools/{name}/call`, in seconds; past it the caller gets 504. */
  @Transform(({ value }) => parseNumber(value, 30))
  @IsPositive({ message: 'TOOL_CALL_TIMEOUT must be a positive number of seconds, at most 300' })
  @Max(300, { message: 'TOOL_CALL_TIMEOUT must be a positive number of seconds, at most 300' })
  TOOL_CALL_TIMEOUT!: number;

  /**
   * Largest answer taken from the MCP server, in bytes: a tools/call or tools/list answer as a whole,
   * one event of a stream. Above it the call is the caller's 502. Twice the server's own result
   * cap (MCP_MAX_RESULT_BYTES, 4 MiB), since JSON escaping can grow a result.
   */
  @Transform(({ value }) => parseNumber(value, 8 * 1024 * 1024))
  @IsInt({ message: 'MCP_MAX_RESPONSE_BYTES must be a positive integer' })
  @Min(1, { message: 'MCP_MAX_RESPONSE_BYTES must be a positive integer' })
  MCP_MAX_RESPONSE_BYTES!: number;

  /**
   * Deepest nesting of arrays and objects in the arguments of a call: the MCP server's /mcp refuses
   * a request nested past 64 levels, two of which are the JSON-RPC request and its params.
   */
  @Transform(({ value }) => parseNumber(value, 62))
  @IsInt({ message: 'TOOL_ARGUMENTS_MAX_DEPTH must be an integer from 1 to 1000' })
  @Min(1, { message: 'TOOL_ARGUMENTS_MAX_DEPTH must be an integer from 1 to 1000' })
  @Max(1000, { message: 'TOOL_ARGUMENTS_MAX_DEPTH must be an integer from 1 to 1000' })
  TOOL_ARGUMENTS_MAX_DEPTH!: number;

  /** How long SIGTERM waits for in-flight calls before exiting anyway, in seconds (the chart allows 30). */
  @Transform(({ value }) => parseNumber(value, 30))
  @IsPositive({ message: 'SHUTDOWN_TIMEOUT must be a positive number of seconds' })
  SHUTDOWN_TIMEOUT!: number;
}
