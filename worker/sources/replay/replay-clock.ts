/**
 * The virtual clock of a replay: maps exchange time (the replay position) to real time.
 *
 * Paced replays (speed S > 0): the first tick's exchange time is pinned to the real instant it
 * was read; afterwards virtual time = firstTick + (realNow − realStart) × S. A tick is due when
 * the virtual time reaches the running maximum of exchange times read so far, so a file that
 * steps backwards (receive-time jitter) is never reordered and never makes the clock go back.
 * `now()` is capped at that running maximum (the next tick not yet emitted), so a consumer
 * never sees a time beyond a tick it has not received.
 *
 * Max-speed replays: virtual time = running maximum of the emitted ticks' exchange times.
 *
 * All times epoch ms UTC. Before the first tick `now()` is 0.
 */
export class ReplayClock {
  private startReal = 0;
  private startVirtual: number | null = null;
  /** Running max of exchange times read (including a tick being waited for). */
  private readMax = Number.NEGATIVE_INFINITY;
  /** Running max of exchange times emitted to the consumer. */
  private emittedMax = Number.NEGATIVE_INFINITY;
  private lastNow = 0;

  /**
   * @param speed replay speed: 1 = real time, N = N× faster, 'max' = no pacing
   * @param realNow real clock in epoch ms (injectable for tests)
   */
  constructor(
    readonly speed: number | 'max',
    private readonly realNow: () => number = Date.now,
  ) {}

  /**
   * Register a tick read from the file; returns how long (real ms) to wait before emitting
   * it: 0 when due now, always 0 at max speed.
   */
  delayFor(exchangeTime: number): number {
    this.readMax = Math.max(this.readMax, exchangeTime);
    if (this.speed === 'max') return 0;
    if (this.startVirtual === null) {
      this.startVirtual = exchangeTime;
      this.startReal = this.realNow();
      return 0;
    }
    const ahead = this.readMax - this.virtualUncapped();
    return ahead > 0 ? ahead / this.speed : 0;
  }

  /** Record that a tick with this exchange time was handed to the consumer. */
  emitted(exchangeTime: number): void {
    this.emittedMax = Math.max(this.emittedMax, exchangeTime);
  }

  /** Current virtual time (see class comment); never decreases. */
  now(): number {
    let t: number;
    if (this.speed === 'max' || this.startVirtual === null) {
      t = Number.isFinite(this.emittedMax) ? this.emittedMax : 0;
    } else {
      t = Math.min(this.virtualUncapped(), Math.max(this.readMax, this.emittedMax));
    }
    this.lastNow = Math.max(this.lastNow, t);
    return this.lastNow;
  }

  /** The replay ended: freeze the clock at the last emitted exchange time. */
  finish(): void {
    this.readMax = Number.isFinite(this.emittedMax) ? this.emittedMax : this.readMax;
    if (this.speed !== 'max') this.startVirtual = null;
  }

  private virtualUncapped(): number {
    return (this.startVirtual ?? 0) + (this.realNow() - this.startReal) * (this.speed as number);
  }
}
