import { SharedCheck } from './shared-check';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

describe('SharedCheck', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => (now = 0));

  it('runs once for every caller that asks while a run is in flight', async () => {
    const run = deferred<string>();
    const check = jest.fn(() => run.promise);
    const shared = new SharedCheck(check, 0, clock);
    const answers = Array.from({ length: 50 }, () => shared.get());
    run.resolve('up');
    expect(await Promise.all(answers)).toEqual(Array(50).fill('up'));
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('reuses the outcome until the cache time has passed, then runs again', async () => {
    let runs = 0;
    const shared = new SharedCheck(async () => (runs += 1), 1_000, clock);
    expect(await shared.get()).toBe(1);
    now = 999;
    expect(await shared.get()).toBe(1);
    now = 1_000;
    expect(await shared.get()).toBe(2);
  });

  it('keeps nothing with a cache time of 0', async () => {
    let runs = 0;
    const shared = new SharedCheck(async () => (runs += 1), 0, clock);
    expect(await shared.get()).toBe(1);
    expect(await shared.get()).toBe(2);
  });

  it('does not keep a run that failed', async () => {
    let runs = 0;
    const shared = new SharedCheck(async () => {
      runs += 1;
      if (runs === 1) throw new Error('boom');
      return runs;
    }, 1_000, clock);
    await expect(shared.get()).rejects.toThrow('boom');
    expect(await shared.get()).toBe(2);
  });
});
