import { Inject, Injectable } from '@nestjs/common';
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { CatalogueTool } from '../discovery/catalogue';
import { CatalogueStore } from '../discovery/catalogue-store';
import { ToolDiscoveryService } from '../discovery/tool-discovery.service';
import { tooLargeIn } from '../mcp/answer-size-cap';
import { describeFailure } from '../mcp/describe-failure';
import { McpConnection } from '../mcp/mcp-connection';
import { CallOutcome, ClientMetrics } from '../metrics/client.metrics';
import {
  ApiError,
  CallerGoneError,
  InvalidArgumentsError,
  ServerUnavailableError,
  ToolCallTimeoutError,
  ToolExecutionError,
  UnknownToolError,
  UpstreamError,
} from './api-errors';
import { summarize } from './argument-validation';
import { ArgumentValidator } from './argument-validator';

export const TOOL_CALL_OPTIONS = Symbol('TOOL_CALL_OPTIONS');

export interface ToolCallOptions {
  serverUrl: string;
  timeoutMs: number;
}

const OUTPUT_SCHEMA_FAILURE = /output ?schema/i;

const OUTCOME_OF: Record<string, CallOutcome> = {
  unknown_tool: 'unknown_tool',
  invalid_arguments: 'invalid_arguments',
  tool_error: 'tool_error',
  server_unavailable: 'unavailable',
  tool_timeout: 'timeout',
  upstream_error: 'upstream_error',
  caller_gone: 'cancelled',
};

/**
 * `POST /tools/{name}/call`: checks the tool and its arguments against the catalogue, calls it
 * over MCP within TOOL_CALL_TIMEOUT, and turns every way that can end into one `ApiError`.
 */
@Injectable()
export class ToolCallService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly validator: ArgumentValidator,
    private readonly connection: McpConnection,
    private readonly discovery: ToolDiscoveryService,
    private readonly metrics: ClientMetrics,
    @Inject(TOOL_CALL_OPTIONS) private readonly options: ToolCallOptions,
  ) {}

  /**
   * The tool's result; throws an `ApiError` for anything else. `body` is the request body as parsed
   * (undefined when there was none). Run within the request's `withRequestId`: its id goes to the server.
   * `callerGone` aborts when the facade's caller disconnects: the call to the server is cut too.
   */
  async call(name: string, body: unknown, callerGone?: AbortSignal): Promise<CallToolResult> {
    const started = performance.now();
    // An unknown name is not a label: it would let any caller grow the metrics without bound.
    let label = '(unknown)';
    try {
      const snapshot = this.store.current;
      if (!snapshot) {
        const reason = this.discovery.status().reason ?? 'no tool catalogue discovered yet';
        throw new ServerUnavailableError(reason, this.discovery.retryAfterSeconds());
      }
      const definition = snapshot.byName.get(name);
      if (!definition) throw new UnknownToolError(name, this.options.serverUrl);
      label = name;
      // No body at all is an empty argument object (a tool without parameters, `curl -X POST`).
      const args = body === undefined ? {} : body;
      const problems = this.validator.validate(snapshot, name, args);
      if (problems.length > 0) throw new InvalidArgumentsError(summarize(name, problems), problems);
      const result = await this.send(definition, args as Record<string, unknown>, callerGone);
      if (result.isError) throw new ToolExecutionError(name, result);
      this.metrics.recordCall(label, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const outcome = error instanceof ApiError ? (OUTCOME_OF[error.code] ?? 'upstream_error') : 'upstream_error';
      this.metrics.recordCall(label, outcome, (performance.now() - started) / 1000);
      throw error;
    }
  }

  private async send(tool: CatalogueTool, args: Record<string, unknown>, callerGone?: AbortSignal): Promise<CallToolResult> {
    try {
      const result = await this.connection.callTool(tool.name, args, this.options.timeoutMs, tool, callerGone);
      this.discovery.serverAnswered();
      return result;
    } catch (error) {
      // Whatever the cut call ended in (a timeout on the SDK path, a fetch failure on the direct one), the server is not at fault.
      if (callerGone?.aborted) throw new CallerGoneError(tool.name);
      throw this.translate(tool.name, error);
    }
  }

  private translate(name: string, error: unknown): ApiError {
    const tooLarge = tooLargeIn(error);
    if (tooLarge) {
      this.discovery.serverAnswered();
      return new UpstreamError(`the MCP server's answer to ${name} is larger than MCP_MAX_RESPONSE_BYTES (${tooLarge.limitBytes} bytes)`);
    }
    if (error instanceof ProtocolError) {
      this.discovery.serverAnswered();
      // The SDK checks structured content against the tool's outputSchema itself and reports a
      // mismatch as a local -32602/-32600: the server's fault, not the caller's arguments.
      if (OUTPUT_SCHEMA_FAILURE.test(error.message)) {
        return new UpstreamError(`the MCP server's result for ${name} breaks the tool's output schema: ${error.message}`);
      }
      if (error.code === ProtocolErrorCode.InvalidParams) {
        // The server refused arguments our copy of the schema accepted: our copy may be old.
        void this.discovery.refreshNow();
        return new InvalidArgumentsError(`the MCP server refused the arguments for ${name}: ${error.message}`, [{ field: '', message: error.message }]);
      }
      return new UpstreamError(`the MCP server answered ${name} with JSON-RPC error ${error.code}: ${error.message}`);
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
      return new ToolCallTimeoutError(name, this.options.timeoutMs / 1000);
    }
    if (error instanceof SdkError && (error.code === SdkErrorCode.InvalidResult || error.code === SdkErrorCode.UnsupportedResultType)) {
      this.discovery.serverAnswered();
      return new UpstreamError(`the MCP server's answer to ${name} is not a usable result: ${error.message}`);
    }
    this.discovery.serverUnreachable();
    return new ServerUnavailableError(`MCP server at ${this.options.serverUrl} unreachable: ${describeFailure(error)}`, this.discovery.retryAfterSeconds());
  }
}
