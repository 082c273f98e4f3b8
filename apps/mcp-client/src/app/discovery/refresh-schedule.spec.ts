import { backoffDelay, MIN_REFRESH_DELAY_MS, nextRefreshDelay } from './refresh-schedule';

describe('backoffDelay', () => {
  const policy = { initialDelayMs: 1_000, maxDelayMs: 30_000 };

  it('doubles the step per attempt, between half the step and the step', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('is capped at maxDelayMs however many attempts failed', () => {
    expect(backoffDelay(policy, 6, () => 1)).toBe(30_000);
    expect(backoffDelay(policy, 10_000, () => 1)).toBe(30_000);
    expect(backoffDelay(policy, 10_000, () => 0)).toBe(15_000);
  });

  it('spreads replicas that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(policy, 5)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8_000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });

  it('treats attempt 0 or less as the first retry', () => {
    expect(backoffDelay(policy, 0, () => 1)).toBe(1_000);
  });
});

describe('nextRefreshDelay', () => {
  it('is the interval without a ttlMs hint, or with ttlMs 0', () => {
    expect(nextRefreshDelay(30_000, undefined)).toBe(30_000);
    expect(nextRefreshDelay(30_000, 0)).toBe(30_000);
    expect(nextRefreshDelay(30_000, -5)).toBe(30_000);
  });

  it('follows a ttlMs shorter than the interval, but not below the floor', () => {
    expect(nextRefreshDelay(30_000, 5_000)).toBe(5_000);
    expect(nextRefreshDelay(30_000, 10)).toBe(MIN_REFRESH_DELAY_MS);
  });

  it('keeps the interval when ttlMs is longer, so readiness still hears from the server', () => {
    expect(nextRefreshDelay(30_000, 3_600_000)).toBe(30_000);
  });
});
