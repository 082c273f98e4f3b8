export type StreamRefusal = 'caller-limit' | 'server-limit';

/**
 * Counts the streams held open (`subscriptions/listen`, GET) in total and per caller. Each held
 * stream costs memory and a socket (see DEFAULT_STREAM_LIMITS): a cap keeps a pod inside its
 * memory limit, and one per caller keeps one caller from taking all of it.
 */
export class StreamQuota {
  private total = 0;
  private readonly perCaller = new Map<string, number>();

  constructor(
    private readonly maxStreams: number,
    private readonly maxStreamsPerCaller: number,
  ) {}

  /** Takes a slot for `caller`, or says which limit refuses it. */
  acquire(caller: string): StreamRefusal | undefined {
    const held = this.perCaller.get(caller) ?? 0;
    if (held >= this.maxStreamsPerCaller) return 'caller-limit';
    if (this.total >= this.maxStreams) return 'server-limit';
    this.perCaller.set(caller, held + 1);
    this.total += 1;
    return undefined;
  }

  release(caller: string): void {
    const held = this.perCaller.get(caller) ?? 0;
    if (held === 0) return;
    if (held === 1) this.perCaller.delete(caller);
    else this.perCaller.set(caller, held - 1);
    this.total -= 1;
  }

  get open(): number {
    return this.total;
  }
}
