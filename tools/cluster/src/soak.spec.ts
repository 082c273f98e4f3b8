const { failuresOutsideFaults } = await import('./soak.mjs');

describe('the soak verdict', () => {
  // Two faults: 10:00:05.000-10:00:07.000 and 10:00:20.500-10:00:22.500 (epoch ms below).
  const t0 = Date.UTC(2026, 11, 7, 10, 0, 0);
  const windows = [
    { from: t0 + 5_000, to: t0 + 7_000 },
    { from: t0 + 20_500, to: t0 + 22_500 },
  ];
  const second = (offset: number) => String(Math.floor((t0 + offset * 1000) / 1000));

  it('counts a failure inside a fault, or within the grace after it, as the fault\'s', () => {
    const failures = { [second(5)]: 3, [second(7)]: 1, [second(9)]: 2, [second(21)]: 4 };
    expect(failuresOutsideFaults(failures, windows, 2_000)).toBe(0);
  });

  it('counts a failure past the grace, or before any fault, as a real one', () => {
    const failures = { [second(1)]: 1, [second(10)]: 2, [second(14)]: 5, [second(21)]: 4 };
    expect(failuresOutsideFaults(failures, windows, 2_000)).toBe(8);
  });

  it('with no fault at all, every failure counts', () => {
    expect(failuresOutsideFaults({ [second(3)]: 2 }, [], 2_000)).toBe(2);
  });
});
