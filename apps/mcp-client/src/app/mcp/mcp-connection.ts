import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AuthProvider, CallToolResult, FetchLike, Implementation, Tool } from '@modelcontextprotocol/client';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { displayUrl } from '@mcp-platform/config';
import { currentRequestId, outsideRequest } from '@mcp-platform/service-runtime';
import type { CatalogueTool } from '../discovery/catalogue';
import { SchemaCompiler } from '../schemas/schema-compiler';
import { failingOnOversize } from './answer-size-cap';
import { DirectToolCaller } from './direct-call/direct-tool-call';
import { OutputSchemaCheck } from './direct-call/output-schema-check';
import { answeringWith, createReplayingFetch } from './direct-call/recorded-response';
import { createTemplateLearningFetch } from './direct-call/tool-call-template';
import { LazyJsonSchemaValidator } from './lazy-json-schema-validator';

export const MCP_CONNECTION_OPTIONS = Symbol('MCP_CONNECTION_OPTIONS');

export interface McpConnectionOptions {
  /** The server's MCP endpoint. */
  url: URL;
  clientInfo: Implementation;
  /** Supplies `Authorization: Bearer` per request; none: requests carry no token. */
  authProvider?: AuthProvider;
  fetch?: FetchLike;
  /** Subscribe to `notifications/tools/list_changed` where the server advertises it. */
  followListChanged: boolean;
  /** Compiles the tools' output schemas, for the SDK and the direct path; a fresh one when absent. */
  schemas?: SchemaCompiler;
  /** The direct path cuts a larger answer (the SDK's fetch must cut its own: createNodeHttpFetch). */
  maxResponseBytes?: number;
}

export interface ToolListing {
  tools: Tool[];
  /** The result's caching hint (2026-07-28), when the server gave one. */
  ttlMs?: number;
}

/** Why a connection was given up: the server ended our subscription, or a listing failed. */
export type SubscriptionEnd = 'graceful' | 'remote';

interface Lease {
  readonly client: Client;
  readonly ready: Promise<Client>;
  /** The connection's direct `tools/call` path, once it has learned what the SDK sends. */
  readonly direct: DirectToolCaller;
  readonly outputCheck: OutputSchemaCheck;
  inFlight: number;
  retired: boolean;
}

// The SDK walks `nextCursor` itself on a cursor-less listTools(); its default cap of 64 pages
// would refuse a big catalogue served in small pages.
const LIST_MAX_PAGES = 1_000;
// The SDK debounces bursts of list_changed into one callback.
const LIST_CHANGED_DEBOUNCE_MS = 200;

/**
 * The client's one MCP connection, made on first use with the official SDK client: it probes
 * `server/discover` (2026-07-28) and falls back to the 2025 `initialize` handshake
 * (`versionNegotiation: auto`), so it works with our server and with servers that are not ours.
 *
 * `reset()` gives a connection up (after a failed listing): the next use connects afresh, while
 * calls still running on the old one finish on it before it is closed.
 */
@Injectable()
export class McpConnection implements OnModuleDestroy {
  /** Called when the server says its tool list changed (debounced by the SDK). */
  onToolsListChanged?: () => void;
  /** Called when the server ended the `subscriptions/listen` stream the connection holds. */
  onSubscriptionEnded?: (how: SubscriptionEnd) => void;

  /** The server's URL as it may be shown (logs, answers, the OpenAPI document): without userinfo. */
  readonly shownUrl: string;
  private active?: Lease;
  private readonly closing = new Set<Promise<void>>();
  private closed = false;
  private readonly schemas: SchemaCompiler;

  constructor(
    @Inject(MCP_CONNECTION_OPTIONS) private readonly options: McpConnectionOptions,
    @InjectPinoLogger(McpConnection.name) private readonly logger: PinoLogger,
  ) {
    this.shownUrl = displayUrl(options.url);
    this.schemas = options.schemas ?? new SchemaCompiler();
  }

  /** The revision negotiated by the current connection (`2026-07-28`, `2025-11-25`, ...), if connected. */
  get protocolVersion(): string | undefined {
    return this.active?.client.getNegotiatedProtocolVersion();
  }

  /** Every tool, following `nextCursor` through all pages, fetched from the server (never from the SDK's cache). */
  async listTools(timeoutMs: number): Promise<ToolListing> {
    return this.use(timeoutMs, async (client) => {
      const result = await failingOnOversize((cut) => client.listTools(undefined, { cacheMode: 'refresh', timeout: timeoutMs, signal: cut }));
      const ttlMs = (result as { ttlMs?: unknown }).ttlMs;
      return { tools: result.tools, ttlMs: typeof ttlMs === 'number' ? ttlMs : undefined };
    });
  }

  /**
   * One tools/call; cancelled on the wire when `timeoutMs` passes (and throws REQUEST_TIMEOUT).
   * Given the tool's catalogue entry, a call may take the direct path (see DirectToolCaller),
   * which ends the same way as the SDK's `callTool`: same request, same result, same errors.
   * Either way the id of the request being served (`withRequestId`) goes to the server as `x-request-id`.
   * `signal` aborts the call on the wire (the facade's caller went away); it then rejects.
   */
  async callTool(name: string, args: Record<string, unknown>, timeoutMs: number, definition?: CatalogueTool, signal?: AbortSignal): Promise<CallToolResult> {
    return this.use(timeoutMs, async (client, lease) => {
      const sdkCall = () =>
        failingOnOversize((cut) => client.callTool({ name, arguments: args }, { timeout: timeoutMs, signal: signal ? AbortSignal.any([signal, cut]) : cut }) as Promise<CallToolResult>);
      if (!definition || definition.name !== name) return sdkCall();
      // Before either path: the SDK's validator compiles only when a result arrives, after the call.
      lease.outputCheck.assertCompiles(definition);
      if (!lease.direct.canCall(definition)) return sdkCall();
      const token = await this.options.authProvider?.token();
      const outcome = await lease.direct.call({
        tool: definition,
        args,
        timeoutMs,
        authorization: token ? `Bearer ${token}` : undefined,
        requestId: currentRequestId(),
        signal,
        cancel: (jsonrpcId, reason) => void client.notification({ method: 'notifications/cancelled', params: { requestId: jsonrpcId, reason } }).catch(() => undefined),
      });
      if ('unread' in outcome) return answeringWith(outcome.unread, sdkCall);
      lease.outputCheck.assertMatches(definition, outcome.result);
      return outcome.result;
    });
  }

  /** Gives the current connection up; the next use connects again. */
  reset(): void {
    const lease = this.active;
    if (!lease) return;
    this.active = undefined;
    lease.retired = true;
    if (lease.inFlight === 0) this.closeClient(lease);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reset();
    await Promise.all(this.closing);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async use<T>(timeoutMs: number, work: (client: Client, lease: Lease) => Promise<T>): Promise<T> {
    const lease = this.lease(timeoutMs);
    lease.inFlight += 1;
    try {
      return await work(await lease.ready, lease);
    } finally {
      lease.inFlight -= 1;
      if (lease.retired && lease.inFlight === 0) this.closeClient(lease);
    }
  }

  private lease(timeoutMs: number): Lease {
    if (this.closed) throw new Error('the MCP connection is closed');
    if (this.active) return this.active;
    const client = new Client(this.options.clientInfo, {
      versionNegotiation: { mode: 'auto' },
      jsonSchemaValidator: new LazyJsonSchemaValidator(this.schemas),
      listMaxPages: LIST_MAX_PAGES,
      ...(this.options.followListChanged && {
        listChanged: {
          tools: { autoRefresh: false, debounceMs: LIST_CHANGED_DEBOUNCE_MS, onChanged: () => this.onToolsListChanged?.() },
        },
      }),
    });
    // Stream hiccups (the GET stream or a listen stream dropping) surface here; discovery reports
    // the outage itself, once, so these stay at debug.
    client.onerror = (error) => this.logger.debug({ err: { message: error.message } }, 'MCP client error');
    const direct = new DirectToolCaller(this.options.url, this.options.maxResponseBytes);
    const fetch = createReplayingFetch(
      createTemplateLearningFetch(
        this.options.fetch ?? globalThis.fetch,
        () => direct.learning,
        (template) => direct.learn(template),
      ),
    );
    const transport = new StreamableHTTPClientTransport(this.options.url, { authProvider: this.options.authProvider, fetch });
    const lease: Lease = {
      client,
      ready: outsideRequest(() => client.connect(transport, { timeout: timeoutMs })).then(() => client),
      direct,
      outputCheck: new OutputSchemaCheck(this.schemas),
      inFlight: 0,
      retired: false,
    };
    this.active = lease;
    lease.ready.then(
      () => this.watchSubscription(lease),
      () => {
        if (this.active === lease) this.active = undefined;
        lease.retired = true;
      },
    );
    return lease;
  }

  /** On 2026-07-28 list changes arrive on a `subscriptions/listen` stream; when the server ends it, reconnect to listen again. */
  private watchSubscription(lease: Lease): void {
    const subscription = lease.client.autoOpenedSubscription;
    if (!subscription) return;
    void subscription.closed.then((how) => {
      if (how === 'local' || this.active !== lease) return;
      this.logger.debug({ how }, 'the MCP server ended the tools/list_changed subscription');
      this.reset();
      this.onSubscriptionEnded?.(how);
    });
  }

  private closeClient(lease: Lease): void {
    lease.direct.close();
    const closing = lease.client.close().catch((error: unknown) => this.logger.debug({ err: error }, 'closing the MCP client failed'));
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}
