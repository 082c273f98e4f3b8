import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { McpToolOptions, MCP_TOOL_METADATA } from './mcp-tool.decorator';
import { DEFAULT_MAX_RESULT_BYTES, DEFAULT_TOOL_TIMEOUT_MS, MCP_TOOLS_OPTIONS, McpToolsModuleOptions } from './mcp-tools.options';
import { RegisteredTool, ToolCallRequest, ToolHandler } from './registered-tool';
import { ToolCallMetrics } from './tool-call.metrics';
import { ToolDefinitionError } from './tool-error';
import { errorResult } from './tool-result';
import { echoed } from '@mcp-platform/service-runtime';

/**
 * Thrown for a `tools/call` naming a tool the server does not have; the protocol layer maps it to
 * -32602. The name is the caller's and may be a megabyte long: the message echoes only its start.
 */
export class UnknownToolError extends Error {
  constructor(readonly toolName: string) {
    super(`Unknown tool: ${echoed(toolName)}`);
  }
}

/**
 * All tools of the process: methods decorated with `@McpTool` on Nest providers, found once at
 * start-up, plus tools registered at run time. Definitions are computed once; `list()` returns the
 * same array until the catalogue changes.
 */
@Injectable()
export class ToolRegistry implements OnModuleInit {
  private readonly tools = new Map<string, RegisteredTool>();
  private definitions: Tool[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: ToolCallMetrics,
    @Inject(MCP_TOOLS_OPTIONS) private readonly options: McpToolsModuleOptions,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const toolOptions = this.reflector.get<McpToolOptions | undefined>(MCP_TOOL_METADATA, method);
        if (toolOptions) this.register(toolOptions, method.bind(instance) as ToolHandler);
      }
    }
  }

  /** Adds a tool; a name already taken is a definition error. */
  register(options: McpToolOptions, handler: ToolHandler): void {
    if (this.tools.has(options.name)) throw new ToolDefinitionError(`Tool "${options.name}" is defined twice`);
    const tool = new RegisteredTool(options, handler, this.options.defaultToolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, this.options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES);
    this.tools.set(tool.name, tool);
    this.catalogueChanged();
  }

  unregister(name: string): boolean {
    const removed = this.tools.delete(name);
    if (removed) this.catalogueChanged();
    return removed;
  }

  list(): Tool[] {
    return this.definitions;
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  /** Runs a tool; throws {@link UnknownToolError} when there is none of that name. */
  async call(name: string, args: unknown, request?: ToolCallRequest): Promise<CallToolResult> {
    const tool = this.tools.get(name);
    const started = performance.now();
    if (!tool) {
      // A fixed label: caller-chosen names must not grow the metric's cardinality.
      this.metrics.record('<unknown>', 'unknown_tool', 0);
      throw new UnknownToolError(name);
    }
    const { result, outcome } = await tool.call(args, request).catch((error: unknown) => ({
      outcome: 'internal_error' as const,
      result: errorResult(`Tool ${name} failed with an internal error: ${String(error)}`),
    }));
    this.metrics.record(name, outcome, (performance.now() - started) / 1000);
    return result;
  }

  /** Called on every change of the catalogue (for `notifications/tools/list_changed`). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private catalogueChanged(): void {
    this.definitions = [...this.tools.values()].map((tool) => tool.definition);
    for (const listener of this.listeners) listener();
  }
}
