/**
 * One run of an async check for every caller that asks while it runs, and its outcome reused for
 * `ttlMs` after it settles. `/health/ready` is open to anyone: without this, each probe made a
 * backend request, so a flood of probes became a flood at the backend. A rejected run is not kept.
 */
export class SharedCheck<T> {
  private running?: Promise<T>;
  private outcome?: T;
  private expiresAt = 0;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.outcome !== undefined && this.now() < this.expiresAt) return Promise.resolve(this.outcome);
    this.running ??= this.run()
      .then((outcome) => {
        this.outcome = outcome;
        this.expiresAt = this.now() + this.ttlMs;
        return outcome;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
