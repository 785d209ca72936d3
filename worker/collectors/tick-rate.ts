/**
 * Ticks per second over a sliding window of whole seconds (default 10 s), for collector metrics.
 */
export class TickRate {
  private readonly counts: number[];
  private readonly seconds: number[];

  constructor(private readonly windowS = 10) {
    this.counts = new Array<number>(windowS).fill(0);
    this.seconds = new Array<number>(windowS).fill(-1);
  }

  /** Record `n` ticks at `nowMs`. */
  add(n: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.windowS;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /** Average ticks/s over the last `windowS` complete-or-current seconds at `nowMs`. */
  perSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (let i = 0; i < this.windowS; i++) {
      if (this.seconds[i] > second - this.windowS && this.seconds[i] <= second) total += this.counts[i];
    }
    return Math.round((total / this.windowS) * 10) / 10;
  }
}
