/** Nearest-rank percentile of latencies sorted ascending (ms), to the hundredth of a ms; 0 when there are none. */
export function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100;
}
