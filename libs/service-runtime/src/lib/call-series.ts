import { register } from 'prom-client';
import type { Counter, Histogram } from 'prom-client';

type CallLabels = 'tool' | 'outcome';

/**
 * A call counter and a duration histogram labelled by tool and outcome, with each pair's label
 * children resolved once: prom-client hashes a label object on every inc/observe, measured at
 * ~2 µs of a call. Tools and outcomes must be bounded sets (an unknown tool is one label).
 */
export class CallSeries<Outcome extends string> {
  private readonly children = new Map<string, { calls: { inc(): void }; duration: { observe(seconds: number): void } }>();

  constructor(
    private readonly calls: Counter<CallLabels>,
    private readonly duration: Histogram<CallLabels>,
  ) {}

  record(tool: string, outcome: Outcome, seconds: number): void {
    const key = `${tool}\u0000${outcome}`;
    let series = this.children.get(key);
    if (!series) {
      series = { calls: this.calls.labels({ tool, outcome }), duration: this.duration.labels({ tool, outcome }) };
      this.children.set(key, series);
    }
    series.calls.inc();
    series.duration.observe(seconds);
  }
}

/** The metric already registered under `name`, else a new one: two Nest applications in one process (tests) share prom-client's global registry. */
export function getOrCreateMetric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
