import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CatalogueStore } from '../discovery/catalogue-store';
import { ToolDiscoveryService } from '../discovery/tool-discovery.service';
import { McpConnection } from '../mcp/mcp-connection';

/** Up once a catalogue has been discovered and the server answered within the last interval; down with the reason otherwise. */
@Injectable()
export class McpServerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly discovery: ToolDiscoveryService,
    private readonly store: CatalogueStore,
    private readonly connection: McpConnection,
  ) {}

  isHealthy(key = 'mcp-server') {
    const indicator = this.health.check(key);
    const status = this.discovery.status();
    const url = this.connection.shownUrl;
    const tools = this.store.current?.tools.length;
    const lastAnsweredAt = status.lastAnsweredAt?.toISOString();
    if (!status.ready) return indicator.down({ url, reason: status.reason, tools, lastAnsweredAt });
    // Up, but say so when the last attempt failed: the server answered within the interval all the same.
    return indicator.up({ url, tools, protocolVersion: this.connection.protocolVersion, lastAnsweredAt, ...(status.stale && { warning: status.reason }) });
  }
}
