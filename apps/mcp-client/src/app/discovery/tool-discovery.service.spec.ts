import type { Tool } from '@modelcontextprotocol/client';
import type { PinoLogger } from 'nestjs-pino';
import type { McpConnection, ToolListing } from '../mcp/mcp-connection';
import type { ClientMetrics } from '../metrics/client.metrics';
import { CatalogueStore } from './catalogue-store';
import { DiscoveryOptions } from './discovery.options';
import { ToolDiscoveryService } from './tool-discovery.service';

const URL_TEXT = 'http://mcp-server:8000/mcp';
const tool = (name: string): Tool => ({ name, description: name, inputSchema: { type: 'object' } });

/** Answers listTools with `tools`, or throws `failure`; each listing can be awaited. */
class FakeConnection {
  readonly url = new URL(URL_TEXT);
  readonly protocolVersion = '2026-07-28';
  onToolsListChanged?: () => void;
  onSubscriptionEnded?: (how: 'graceful' | 'remote') => void;
  tools: Tool[] = [tool('get_user_profile')];
  failure?: Error;
  listings = 0;
  resets = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  async listTools(): Promise<ToolListing> {
    await Promise.resolve();
    this.listings += 1;
    queueMicrotask(() => this.settle());
    if (this.failure) throw this.failure;
    return { tools: this.tools };
  }

  reset(): void {
    this.resets += 1;
  }

  /** Resolves once `count` listings in total have been answered and handled. */
  listed(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.settle();
    });
  }

  private settle(): void {
    // After the service has handled the answer (a few microtasks later).
    setImmediate(() => {
      for (const waiter of [...this.waiters]) {
        if (this.listings >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }
}

function fakeLogger() {
  return { info: jest.fn(), warn: jest.fn(), debug: jest.fn() };
}

const metrics = { recordRefresh: jest.fn(), catalogueSizeIs: jest.fn() } as unknown as ClientMetrics;

function createService(connection: FakeConnection, logger = fakeLogger(), options: Partial<DiscoveryOptions> = {}) {
  const store = new CatalogueStore();
  const service = new ToolDiscoveryService(
    connection as unknown as McpConnection,
    store,
    metrics,
    { serverUrl: URL_TEXT, intervalMs: 60_000, requestTimeoutMs: 1_000, backoff: { initialDelayMs: 4, maxDelayMs: 16 }, ...options },
    logger as unknown as PinoLogger,
  );
  return { service, store, logger };
}

const discoveredLines = (logger: ReturnType<typeof fakeLogger>) => logger.info.mock.calls.filter(([, message]) => /^Discovered/.test(message));

describe('ToolDiscoveryService', () => {
  let service: ToolDiscoveryService | undefined;

  afterEach(() => service?.onModuleDestroy());

  it('logs "Discovered N tools from <url>" with the names once at start, and not for an unchanged refresh', async () => {
    const connection = new FakeConnection();
    const created = createService(connection);
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(1);
    await service.refreshNow();

    expect(discoveredLines(created.logger)).toEqual([[{ tools: ['get_user_profile'], protocolVersion: '2026-07-28' }, `Discovered 1 tools from ${URL_TEXT}`]]);
    expect(created.store.current?.version).toBe(1);
    expect(service.status()).toMatchObject({ stale: false });
  });

  it('logs again, naming what changed, when the catalogue changes', async () => {
    const connection = new FakeConnection();
    const created = createService(connection);
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(1);
    connection.tools = [tool('get_user_profile'), tool('search')];
    connection.onToolsListChanged?.();
    await connection.listed(2);

    expect(discoveredLines(created.logger)[1]).toEqual([
      { tools: ['get_user_profile', 'search'], added: ['search'], removed: [], changed: [], protocolVersion: '2026-07-28' },
      `Discovered 2 tools from ${URL_TEXT}`,
    ]);
    expect(created.store.current?.version).toBe(2);
  });

  it('retries a server that is down at start with backoff, warning once, then discovers when it is up', async () => {
    const connection = new FakeConnection();
    connection.failure = new Error('fetch failed');
    const created = createService(connection);
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(4);

    expect(created.logger.warn).toHaveBeenCalledTimes(1);
    expect(created.logger.warn.mock.calls[0][1]).toBe(`MCP server at ${URL_TEXT} unreachable: fetch failed; serving the last catalogue marked stale and retrying with backoff`);
    expect(connection.resets).toBeGreaterThanOrEqual(4);
    expect(service.status()).toEqual({ stale: true, ready: false, reason: 'no tool catalogue discovered yet: fetch failed', lastAnsweredAt: undefined });
    expect(service.retryAfterSeconds()).toBe(1);

    connection.failure = undefined;
    await connection.listed(connection.listings + 1);
    expect(created.logger.info.mock.calls.map(([, message]) => message)).toEqual([`MCP server at ${URL_TEXT} answers`, `Discovered 1 tools from ${URL_TEXT}`]);
    expect(service.status().stale).toBe(false);
  });

  it('keeps serving the last catalogue, marked stale with the reason, while the server is away', async () => {
    const connection = new FakeConnection();
    const created = createService(connection);
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(1);

    connection.failure = new Error('fetch failed: ECONNREFUSED');
    await service.refreshNow();
    expect(created.store.current?.tools.map((listed) => listed.name)).toEqual(['get_user_profile']);
    expect(service.status()).toMatchObject({ stale: true, reason: expect.stringMatching(/^MCP server at .* unreachable since .*: fetch failed: ECONNREFUSED$/) });
    // One failed attempt makes the catalogue stale, not the client unready: the server answered within the interval.
    expect(service.status().ready).toBe(true);
    expect(service.status(Date.now() + 62_000)).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^MCP server at .* has not answered for 6\d s: fetch failed: ECONNREFUSED$/),
    });

    // Another reason is another state: logged too. The same reason again is not.
    connection.failure = new Error('the server answered the probe with HTTP 503');
    await connection.listed(connection.listings + 2);
    expect(created.logger.warn).toHaveBeenCalledTimes(2);

    connection.failure = undefined;
    await connection.listed(connection.listings + 1);
    expect(created.logger.info.mock.calls.at(-1)?.[1]).toBe(`MCP server at ${URL_TEXT} answers again`);
    expect(discoveredLines(created.logger)).toHaveLength(1);
    expect(service.status().stale).toBe(false);
  });

  it('turns stale and unready when the server has not answered within the interval', async () => {
    const connection = new FakeConnection();
    const created = createService(connection, fakeLogger(), { intervalMs: 60_000, requestTimeoutMs: 1_000 });
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(1);
    expect(service.status(Date.now() + 60_000)).toMatchObject({ stale: false, ready: true });
    expect(service.status(Date.now() + 62_000)).toMatchObject({ stale: true, ready: false, reason: expect.stringMatching(/has not answered for 6\d s$/) });
  });

  it('checks the server at once when a call could not reach it, but not again while it is known to be down', async () => {
    const connection = new FakeConnection();
    const created = createService(connection, fakeLogger(), { backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    service = created.service;
    service.onApplicationBootstrap();
    await connection.listed(1);

    connection.failure = new Error('fetch failed');
    service.serverUnreachable();
    await connection.listed(2);
    expect(service.status().stale).toBe(true);

    service.serverUnreachable();
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.listings).toBe(2);
    expect(service.retryAfterSeconds()).toBeGreaterThanOrEqual(30);
  });

  it('runs one more listing when asked during one, so no change is missed', async () => {
    const connection = new FakeConnection();
    const created = createService(connection);
    service = created.service;
    service.onApplicationBootstrap();
    void service.refreshNow();
    void service.refreshNow();
    await connection.listed(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.listings).toBe(2);
  });
});
