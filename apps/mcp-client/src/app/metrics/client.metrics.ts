import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';

/** How a `POST /tools/{name}/call` ended; also the `outcome` label of the call metrics. */
export type CallOutcome = 'ok' | 'tool_error' | 'invalid_arguments' | 'unknown_tool' | 'unavailable' | 'timeout' | 'upstream_error';

/** How a catalogue refresh ended. */
export type RefreshOutcome = 'changed' | 'unchanged' | 'failed';

/** The client's Prometheus series, on prom-client's default registry (what `/metrics` serves). */
@Injectable()
export class ClientMetrics {
  private readonly calls = getOrCreate(
    'mcp_client_tool_calls_total',
    () => new Counter({ name: 'mcp_client_tool_calls_total', help: 'REST tool calls by tool and outcome', labelNames: ['tool', 'outcome'] }),
  );
  private readonly callDuration = getOrCreate(
    'mcp_client_tool_call_duration_seconds',
    () =>
      new Histogram({
        name: 'mcp_client_tool_call_duration_seconds',
        help: 'REST tool call latency by tool and outcome',
        labelNames: ['tool', 'outcome'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      }),
  );
  private readonly refreshes = getOrCreate(
    'mcp_client_discovery_refreshes_total',
    () =>
      new Counter({
        name: 'mcp_client_discovery_refreshes_total',
        help: 'Tool catalogue refreshes by outcome (changed, unchanged, failed)',
        labelNames: ['outcome'],
      }),
  );
  private readonly catalogueSize = getOrCreate(
    'mcp_client_catalogue_tools',
    () => new Gauge({ name: 'mcp_client_catalogue_tools', help: 'Tools in the catalogue the client serves' }),
  );
  private readonly serverUp = getOrCreate(
    'mcp_client_server_up',
    () => new Gauge({ name: 'mcp_client_server_up', help: '1 while the MCP server answered the last refresh, 0 while the catalogue is stale' }),
  );

  /** Label children per (tool, outcome), resolved once: prom-client hashes a label object on every inc/observe. */
  private readonly callSeries = new Map<string, { calls: { inc(): void }; duration: { observe(value: number): void } }>();

  recordCall(tool: string, outcome: CallOutcome, seconds: number): void {
    const key = `${tool}\u0000${outcome}`;
    let series = this.callSeries.get(key);
    if (!series) {
      series = { calls: this.calls.labels({ tool, outcome }), duration: this.callDuration.labels({ tool, outcome }) };
      this.callSeries.set(key, series);
    }
    series.calls.inc();
    series.duration.observe(seconds);
  }

  recordRefresh(outcome: RefreshOutcome): void {
    this.refreshes.inc({ outcome });
    this.serverUp.set(outcome === 'failed' ? 0 : 1);
  }

  catalogueSizeIs(tools: number): void {
    this.catalogueSize.set(tools);
  }
}

// Two Nest applications in one process (tests) share prom-client's global registry.
function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
