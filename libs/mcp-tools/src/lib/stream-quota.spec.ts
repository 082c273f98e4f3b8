import { StreamQuota } from './stream-quota';

describe('StreamQuota', () => {
  it('refuses a caller at its own limit before the total is reached', () => {
    const quota = new StreamQuota(10, 2);
    expect([quota.acquire('a'), quota.acquire('a'), quota.acquire('a')]).toEqual([undefined, undefined, 'caller-limit']);
    expect(quota.acquire('b')).toBeUndefined();
    expect(quota.open).toBe(3);
  });

  it('refuses every caller once the total is reached', () => {
    const quota = new StreamQuota(2, 5);
    quota.acquire('a');
    quota.acquire('b');
    expect(quota.acquire('c')).toBe('server-limit');
    expect(quota.acquire('a')).toBe('server-limit');
  });

  it('gives a released slot back to its caller and to the total', () => {
    const quota = new StreamQuota(2, 1);
    quota.acquire('a');
    quota.acquire('b');
    quota.release('a');
    expect(quota.open).toBe(1);
    expect(quota.acquire('a')).toBeUndefined();
  });

  it('ignores a release of a caller that holds nothing', () => {
    const quota = new StreamQuota(1, 1);
    quota.release('nobody');
    expect(quota.open).toBe(0);
    expect(quota.acquire('a')).toBeUndefined();
  });
});
