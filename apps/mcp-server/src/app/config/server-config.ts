import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsPositive, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { parseBoolean, parseList, parseNumber, ServiceConfig } from '@mcp-platform/config';

/**
 * The server's settings, read from the environment once at start-up. The names mirror the Helm
 * chart's values (`azure.*`, `app.*`) as the chart passes them; PORT, LOG_LEVEL and the Azure
 * identity come from ServiceConfig.
 */
export class ServerConfig extends ServiceConfig {
  @Transform(({ value }) => value ?? 'http://localhost:8081')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'BACKEND_API_URL must be an http(s) URL' })
  BACKEND_API_URL!: string;

  @Transform(({ value }) => parseNumber(value, 10))
  @IsPositive({ message: 'BACKEND_API_TIMEOUT must be a positive number of seconds, at most 300' })
  @Max(300, { message: 'BACKEND_API_TIMEOUT must be a positive number of seconds, at most 300' })
  BACKEND_API_TIMEOUT!: number;

  @Transform(({ value }) => parseBoolean(value, false))
  @IsBoolean({ message: 'READINESS_CHECK_BACKEND must be true or false' })
  READINESS_CHECK_BACKEND!: boolean;

  /** How long one backend readiness check answers later probes, in seconds; 0: only concurrent probes share one. */
  @Transform(({ value }) => parseNumber(value, 1))
  @Min(0, { message: 'READINESS_CACHE_TTL must be a number of seconds from 0 to 60' })
  @Max(60, { message: 'READINESS_CACHE_TTL must be a number of seconds from 0 to 60' })
  READINESS_CACHE_TTL!: number;

  @ValidateIf((config: ServerConfig) => config.MCP_AUTH_ENABLED || config.AZURE_TENANT_ID !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'AZURE_TENANT_ID must be set when MCP_AUTH_ENABLED is true' })
  AZURE_TENANT_ID?: string;

  @Transform(({ value }) => parseList(value))
  @IsString({ each: true })
  AZURE_SCOPES!: string[];

  /** Demand an Entra access token on the MCP endpoints (health and metrics stay open). */
  @Transform(({ value }) => parseBoolean(value, false))
  @IsBoolean({ message: 'MCP_AUTH_ENABLED must be true or false' })
  MCP_AUTH_ENABLED!: boolean;

  /** Accepted `aud` values: the server's app ID URI and/or client id. */
  @Transform(({ value }) => parseList(value ?? 'api://mcp-server'))
  @IsString({ each: true })
  MCP_AUTH_AUDIENCES!: string[];

  /** App roles a caller's token must carry. */
  @Transform(({ value }) => parseList(value ?? 'Tools.Call'))
  @IsString({ each: true })
  MCP_AUTH_REQUIRED_ROLES!: string[];

  /** Hostnames accepted in the Host header of the MCP endpoints (DNS-rebinding protection). */
  @Transform(({ value }) => parseList(value ?? 'localhost,127.0.0.1,[::1],mcp-server'))
  @IsString({ each: true })
  MCP_ALLOWED_HOSTS!: string[];

  /** Hostnames accepted in a browser Origin header; defaults to the allowed hosts. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : parseList(value)))
  @IsString({ each: true })
  MCP_ALLOWED_ORIGINS?: string[];

  /**
   * The URL callers reach the server at (e.g. `https://mcp.example.com`), for the RFC 9728
   * metadata and the 401 challenge; unset: built from the request's allow-listed Host.
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : String(value).replace(/\/+$/, '')))
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'MCP_PUBLIC_URL must be an http(s) URL' })
  @Matches(/^[^?#]*$/, { message: 'MCP_PUBLIC_URL must be an http(s) URL without query or fragment' })
  MCP_PUBLIC_URL?: string;

  /** Largest tool result sent to a caller, in bytes; a larger one becomes an isError result. */
  @Transform(({ value }) => parseNumber(value, 4 * 1024 * 1024))
  @IsInt({ message: 'MCP_MAX_RESULT_BYTES must be a positive integer' })
  @Min(1, { message: 'MCP_MAX_RESULT_BYTES must be a positive integer' })
  MCP_MAX_RESULT_BYTES!: number;

  /** Streams held open (subscriptions/listen, GET /mcp) by the process; over it a caller gets 503. */
  @Transform(({ value }) => parseNumber(value, 1000))
  @IsInt({ message: 'MCP_MAX_STREAMS must be a positive integer' })
  @Min(1, { message: 'MCP_MAX_STREAMS must be a positive integer' })
  MCP_MAX_STREAMS!: number;

  /** Streams held open by one caller (its Entra principal with inbound auth, else its address); over it, 429. */
  @Transform(({ value }) => parseNumber(value, 10))
  @IsInt({ message: 'MCP_MAX_STREAMS_PER_CALLER must be a positive integer' })
  @Min(1, { message: 'MCP_MAX_STREAMS_PER_CALLER must be a positive integer' })
  MCP_MAX_STREAMS_PER_CALLER!: number;

  /** Longest a stream is held, in seconds; it then ends cleanly and the client reconnects. */
  @Transform(({ value }) => parseNumber(value, 3600))
  @IsPositive({ message: 'MCP_STREAM_MAX_LIFETIME must be a positive number of seconds' })
  MCP_STREAM_MAX_LIFETIME!: number;

  /** Slow-client guards (slowloris), in seconds: all request headers, a whole request, an idle keep-alive connection. */
  @Transform(({ value }) => parseNumber(value, 20))
  @IsPositive({ message: 'HTTP_HEADERS_TIMEOUT must be a positive number of seconds' })
  HTTP_HEADERS_TIMEOUT!: number;

  @Transform(({ value }) => parseNumber(value, 60))
  @IsPositive({ message: 'HTTP_REQUEST_TIMEOUT must be a positive number of seconds' })
  HTTP_REQUEST_TIMEOUT!: number;

  @Transform(({ value }) => parseNumber(value, 65))
  @IsPositive({ message: 'HTTP_KEEP_ALIVE_TIMEOUT must be a positive number of seconds' })
  HTTP_KEEP_ALIVE_TIMEOUT!: number;

  /** How long SIGTERM waits for in-flight requests before exiting anyway, in seconds. */
  @Transform(({ value }) => parseNumber(value, 25))
  @IsPositive({ message: 'SHUTDOWN_TIMEOUT must be a positive number of seconds' })
  SHUTDOWN_TIMEOUT!: number;
}
