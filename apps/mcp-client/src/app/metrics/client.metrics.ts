import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { getOrCreateMetric } from '@mcp-platform/service-runtime';

/** How a `POST /tools/{name}/call` ended; also the `outcome` label of the call metrics. */
export type CallOutcome = 'ok' | 'tool_error' | 'invalid_arguments' | 'unknown_tool' | 'unavailable' | 'timeout' | 'upstream_error' | 'cancelled';

/** How a catalogue refresh ended. */
export type RefreshOutcome = 'changed' | 'unchanged' | 'failed';

/** The client's Prometheus series, on prom-client's default registry (what `/metrics` serves). */
@Injectable()
export class ClientMetrics {
  private readonly calls = getOrCreateMetric(
    'mcp_client_tool_calls_total',
    () => new Counter({ name: 'mcp_client_tool_calls_total', help: 'REST tool calls by tool and outcome', labelNames: ['tool', 'outcome'] }),
  );
  private readonly callDuration = getOrCreateMetric(
    'mcp_client_tool_call_duration_seconds',
    () =>
      new Histogram({
        name: 'mcp_client_tool_call_duration_seconds',
        help: 'REST tool call latency by tool and outcome',
        labelNames: ['tool', 'outcome'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      }),
  );
  private readonly refreshes = getOrCreateMetric(
    'mcp_client_discovery_refreshes_total',
    () =>
      new Counter({
        name: 'mcp_client_discovery_refreshes_total',
        help: 'Tool catalogue refreshes by outcome (changed, unchanged, failed)',
        labelNames: ['outcome'],
      }),
  );
  private readonly catalogueSize = getOrCreateMetric(
    'mcp_client_catalogue_tools',
    () => new Gauge({ name: 'mcp_client_catalogue_tools', help: 'Tools in the catalogue the client serves' }),
  );
  private readonly serverUp = getOrCreateMetric(
    'mcp_client_server_up',
    () => new Gauge({ name: 'mcp_client_server_up', help: '1 while the MCP server answered the last refresh, 0 while the catalogue is stale' }),
  );

  recordCall(tool: string, outcome: CallOutcome, seconds: number): void {
    this.calls.inc({ tool, outcome });
    this.callDuration.observe({ tool, outcome }, seconds);
  }

  recordRefresh(outcome: RefreshOutcome): void {
    this.refreshes.inc({ outcome });
    this.serverUp.set(outcome === 'failed' ? 0 : 1);
  }

  catalogueSizeIs(tools: number): void {
    this.catalogueSize.set(tools);
  }
}
