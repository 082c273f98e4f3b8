import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { describeFailure } from '../mcp/describe-failure';
import { McpConnection, ToolListing } from '../mcp/mcp-connection';
import { ClientMetrics } from '../metrics/client.metrics';
import { catalogueFrom, diffCatalogues, isUnchanged } from './catalogue';
import { CatalogueStore } from './catalogue-store';
import { DISCOVERY_OPTIONS, DiscoveryOptions } from './discovery.options';
import { backoffDelay, nextRefreshDelay } from './refresh-schedule';

type ServerState = { kind: 'starting' } | { kind: 'up' } | { kind: 'down'; reason: string; since: Date };

/** What readiness and `GET /tools` need to know about the server. */
export interface DiscoveryStatus {
  /** The catalogue is not known to be current: never listed, the last attempt failed, or the server has been silent too long. */
  stale: boolean;
  /** A catalogue is there and the server answered within the last interval (one failed attempt is not enough to turn unready). */
  ready: boolean;
  /** Why it is stale or unready. */
  reason?: string;
  lastAnsweredAt?: Date;
}

/**
 * Keeps the catalogue of the server's tools current: lists them at start, again on
 * `notifications/tools/list_changed`, after the result's `ttlMs` hint and every
 * DISCOVERY_INTERVAL. While the server is away it retries with capped exponential backoff,
 * keeps the last catalogue (served as stale), and logs the outage once, not per retry.
 */
@Injectable()
export class ToolDiscoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private state: ServerState = { kind: 'starting' };
  private consecutiveFailures = 0;
  private lastAnsweredAt?: number;
  private timer?: NodeJS.Timeout;
  private nextRefreshAt?: number;
  private running?: Promise<void>;
  private refreshAgain = false;
  private stopped = false;

  constructor(
    private readonly connection: McpConnection,
    private readonly store: CatalogueStore,
    private readonly metrics: ClientMetrics,
    @Inject(DISCOVERY_OPTIONS) private readonly options: DiscoveryOptions,
    @InjectPinoLogger(ToolDiscoveryService.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.connection.onToolsListChanged = () => void this.refreshNow();
    // The server ended our list_changed subscription (a restart, a scale-down): reconnect, after a
    // pause so a server that keeps ending it cannot make us spin.
    this.connection.onSubscriptionEnded = () => this.schedule(backoffDelay(this.options.backoff, 1));
    void this.refreshNow();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Lists the tools now; a refresh already running is followed by one more, so no change is missed. */
  refreshNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.refreshAgain = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.running = this.refresh().finally(() => {
      this.running = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refreshNow();
      }
    });
    return this.running;
  }

  /** A tool call got an answer (a result or a JSON-RPC error): the server is there. */
  serverAnswered(): void {
    this.lastAnsweredAt = Date.now();
    // Found back before the backoff's next try: refresh at once rather than serve stale until then.
    if (this.state.kind === 'down') void this.refreshNow();
  }

  /** A tool call could not reach the server. Checked at once while the server counted as up; while it is down the backoff goes on. */
  serverUnreachable(): void {
    if (this.state.kind === 'up') void this.refreshNow();
  }

  status(now = Date.now()): DiscoveryStatus {
    const lastAnsweredAt = this.lastAnsweredAt === undefined ? undefined : new Date(this.lastAnsweredAt);
    const url = this.options.serverUrl;
    const failure = this.state.kind === 'down' ? this.state : undefined;
    if (!this.store.current) {
      const reason = failure ? `no tool catalogue discovered yet: ${failure.reason}` : `no tool catalogue discovered yet from ${url}`;
      return { stale: true, ready: false, reason, lastAnsweredAt };
    }
    const silentForMs = now - (this.lastAnsweredAt ?? 0);
    if (silentForMs > this.options.intervalMs + this.options.requestTimeoutMs) {
      const reason = `MCP server at ${url} has not answered for ${Math.round(silentForMs / 1000)} s${failure ? `: ${failure.reason}` : ''}`;
      return { stale: true, ready: false, reason, lastAnsweredAt };
    }
    if (failure) return { stale: true, ready: true, reason: `MCP server at ${url} unreachable since ${failure.since.toISOString()}: ${failure.reason}`, lastAnsweredAt };
    return { stale: false, ready: true, lastAnsweredAt };
  }

  /** Seconds until the next attempt to reach the server: the `Retry-After` of a 503. */
  retryAfterSeconds(now = Date.now()): number {
    const waitMs = this.nextRefreshAt === undefined ? this.options.backoff.initialDelayMs : this.nextRefreshAt - now;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  private async refresh(): Promise<void> {
    let listing: ToolListing;
    try {
      listing = await this.connection.listTools(this.options.requestTimeoutMs);
    } catch (error) {
      this.failed(error);
      return;
    }
    this.listed(listing);
  }

  private listed(listing: ToolListing): void {
    const answeredBefore = this.lastAnsweredAt !== undefined;
    this.lastAnsweredAt = Date.now();
    this.consecutiveFailures = 0;
    if (this.state.kind === 'down') {
      const fields = { url: this.options.serverUrl, protocolVersion: this.connection.protocolVersion };
      this.logger.info(fields, `MCP server at ${this.options.serverUrl} answers${answeredBefore ? ' again' : ''}`);
    }
    this.state = { kind: 'up' };
    const tools = catalogueFrom(listing.tools);
    const previous = this.store.current;
    const change = diffCatalogues(previous?.tools ?? [], tools);
    if (!previous || !isUnchanged(change)) {
      this.store.replace(tools);
      // The line the deployment guide greps for ("Discovered X tools"): once at start, then per change.
      this.logger.info(
        { tools: tools.map((tool) => tool.name), ...(previous && change), protocolVersion: this.connection.protocolVersion },
        `Discovered ${tools.length} tools from ${this.options.serverUrl}`,
      );
      this.metrics.recordRefresh('changed');
      this.metrics.catalogueSizeIs(tools.length);
    } else {
      this.metrics.recordRefresh('unchanged');
    }
    this.schedule(nextRefreshDelay(this.options.intervalMs, listing.ttlMs));
  }

  private failed(error: unknown): void {
    // A listing cut short by shutdown (the connection closed under it) is no outage.
    if (this.stopped) return;
    this.consecutiveFailures += 1;
    // The next attempt connects afresh: a server that restarted may have lost our session.
    this.connection.reset();
    const reason = describeFailure(error);
    const wasDown = this.state.kind === 'down' ? this.state : undefined;
    this.state = { kind: 'down', reason, since: wasDown?.since ?? new Date() };
    const delayMs = backoffDelay(this.options.backoff, this.consecutiveFailures);
    const fields = { url: this.options.serverUrl, reason, staleTools: this.store.current?.tools.length ?? 0, retryInMs: delayMs };
    // Once per change of state (or of reason), not once per retry.
    if (!wasDown || wasDown.reason !== reason) {
      this.logger.warn(fields, `MCP server at ${this.options.serverUrl} unreachable: ${reason}; serving the last catalogue marked stale and retrying with backoff`);
    } else {
      this.logger.debug({ ...fields, attempt: this.consecutiveFailures }, 'MCP server still unreachable');
    }
    this.metrics.recordRefresh('failed');
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.nextRefreshAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.refreshNow(), delayMs);
    this.timer.unref();
  }
}
