/**
 * SeedGate keeps the data flow ordered while instrument-days are continued from storage
 * (worker/pipeline/candle-seed.ts): batches pass straight through when every instrument-day in
 * them is already seeded; otherwise they wait (in order) while the seeds of the new
 * instrument-days load in one set of queries. Ticks are already journaled before they reach the
 * gate, so waiting loses nothing. A failed load is logged and the instruments go on unseeded
 * (first candle marked partial), never blocked.
 */
import type { Logger } from 'pino';
import { istDayStart } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import { seedKey, type PreparedSeeds, type SeedLoader } from './candle-seed';

export class SeedGate {
  private readonly seeded = new Map<number, number>();
  private readonly queue: Tick[][] = [];
  private pumping: Promise<void> | null = null;
  /** Instrument-days seeded, and loads that failed (those went on unseeded). */
  seeds = 0;
  failures = 0;

  /**
   * @param load    seeds the instrument-days first seen (null: no seeding, pass everything through)
   * @param deliver receives every batch, in order, with the seeds to apply before its ticks
   *                (undefined when none: see `applySeeded`)
   */
  constructor(
    private readonly load: SeedLoader | null,
    private readonly deliver: (ticks: readonly Tick[], seeds?: PreparedSeeds) => void,
    private readonly logger?: Logger,
  ) {}

  /** Pass a batch on now, or queue it behind the seeds it needs. */
  push(ticks: readonly Tick[]): void {
    if (!this.load || (this.queue.length === 0 && this.allSeeded(ticks))) {
      this.deliver(ticks);
      return;
    }
    this.queue.push([...ticks]);
    this.pumping ??= this.pump().finally(() => {
      this.pumping = null;
    });
  }

  /** True while batches wait for seeds (their ticks are behind the feed's clock). */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** Resolves once every queued batch has been delivered. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private allSeeded(ticks: readonly Tick[]): boolean {
    for (const tick of ticks) {
      const seen = this.seeded.get(tick.instrumentToken);
      if (seen === undefined || seen < istDayStart(tick.exchangeTime)) return false;
    }
    return true;
  }

  /** Ticks (one per instrument-day) whose instrument-day is not seeded yet; marks them seeded. */
  private firstOfDay(ticks: readonly Tick[]): Tick[] {
    const out: Tick[] = [];
    for (const tick of ticks) {
      const day = istDayStart(tick.exchangeTime);
      const seen = this.seeded.get(tick.instrumentToken);
      if (seen !== undefined && seen >= day) continue;
      this.seeded.set(tick.instrumentToken, day);
      out.push(tick);
    }
    return out;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue[0];
      const first = this.firstOfDay(batch);
      let seeds: PreparedSeeds | undefined;
      if (first.length > 0) {
        try {
          const prepared = await this.load!(first);
          seeds = new Map(prepared.map((p) => [seedKey(p.seed.instrumentToken, p.seed.day), p]));
          this.seeds += first.length;
        } catch (error) {
          this.failures++;
          this.logger?.warn({ err: error, instruments: first.length }, 'could not load stored candles to continue; going on unseeded');
        }
      }
      this.queue.shift();
      try {
        this.deliver(batch, seeds);
      } catch (error) {
        this.logger?.error({ err: error }, 'delivering ticks failed');
      }
    }
  }
}
