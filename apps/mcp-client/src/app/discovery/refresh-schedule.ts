export interface BackoffPolicy {
  /** Delay before the first retry, in milliseconds. */
  initialDelayMs: number;
  /** Largest delay, in milliseconds. */
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): capped exponential growth with
 * "equal jitter" (half fixed, half random), so replicas restarted together spread their retries
 * while each still waits at least half the step: a server that comes back is found within one step.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}

/** Never refresh more often than this, whatever `ttlMs` a server sends. */
export const MIN_REFRESH_DELAY_MS = 1_000;

/**
 * When to list the tools again after a successful listing. A positive `ttlMs` (the result's
 * caching hint, 2026-07-28) shortens the periodic interval; it never lengthens it, because the
 * periodic refresh is also how readiness learns that the server still answers. `ttlMs` 0 ("stale
 * at once") or none leaves the interval.
 */
export function nextRefreshDelay(intervalMs: number, ttlMs: number | undefined): number {
  if (ttlMs === undefined || !Number.isFinite(ttlMs) || ttlMs <= 0) return intervalMs;
  return Math.min(intervalMs, Math.max(MIN_REFRESH_DELAY_MS, ttlMs));
}
