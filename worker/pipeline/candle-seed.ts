/**
 * Restart continuation: before the aggregator sees an instrument's first tick of an IST day,
 * continue that day from what is stored (issue 8, "Restarts do not corrupt candles"):
 *
 * - the cumulative-volume baseline is the newest stored tick of that day before the first new
 *   tick, so the first candle after a start never receives the whole day's volume;
 * - the candle open at the stop continues: the stored 1m candles of the day seed the open
 *   candle of every timeframe (open kept, high/low merged, close from the newest tick, volume
 *   from cumulative deltas);
 * - ticks stored after the last stored candle (journaled by a run killed before it closed its
 *   candle) are re-aggregated first, so that candle is rebuilt with all its ticks.
 *
 * `SeedGate` keeps the data flow ordered: batches pass straight through when every
 * instrument-day in them is already seeded; otherwise they wait (in order) while the seeds of
 * the new instrument-days load in one set of queries. Ticks are already journaled before they
 * reach the gate, so waiting loses nothing. A failed load is logged and the instruments go on
 * unseeded (first candle marked partial), never blocked.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { getLastStoredVolumes, getSeedCandles, getStoredTicks, type SeedLookup } from '@/lib/db/queries/candle-seed';
import { istDayStart } from '@/lib/market/session';
import { symbolOf, type Exchange, type Tick } from '@/lib/market/tick';
import type { CandleAggregator } from './aggregator';

/** Loads and applies the seeds of instrument-days first seen in `ticks` (one per instrument-day). */
export type SeedLoader = (firstTicks: readonly Tick[]) => Promise<void>;

/**
 * A loader that seeds `aggregator` from `db` (see the file comment). Resolves once every
 * instrument-day of `firstTicks` is seeded and its stored leftover ticks are re-aggregated.
 * Throws the database error (the gate then goes on unseeded).
 */
export function databaseSeedLoader(db: Database, aggregator: CandleAggregator): SeedLoader {
  return async (firstTicks) => {
    const lookups: SeedLookup[] = firstTicks.map((t) => ({
      instrumentToken: t.instrumentToken,
      dayStart: istDayStart(t.exchangeTime),
      before: t.exchangeTime,
    }));
    const candles = await getSeedCandles(db, lookups);
    // Ticks after the newest stored candle (and before the first new tick) are re-aggregated;
    // the baseline is the newest stored tick before them.
    const replayFrom = new Map<number, number>();
    for (const l of lookups) {
      const newest = candles.get(l.instrumentToken)?.at(-1);
      replayFrom.set(l.instrumentToken, Math.min(l.before, newest ? newest.bucket + 60_000 : l.dayStart));
    }
    const baselines = await getLastStoredVolumes(
      db,
      lookups.map((l) => ({ ...l, before: replayFrom.get(l.instrumentToken)! })),
    );
    const names = new Map<number, { exchange: Exchange; tradingsymbol: string }>(firstTicks.map((t) => [t.instrumentToken, t]));
    const leftovers = await getStoredTicks(
      db,
      lookups
        .filter((l) => replayFrom.get(l.instrumentToken)! < l.before)
        .map((l) => ({ ...l, dayStart: replayFrom.get(l.instrumentToken)! })),
      names,
    );
    for (const [i, tick] of firstTicks.entries()) {
      const lookup = lookups[i];
      aggregator.seed({
        instrumentToken: tick.instrumentToken,
        symbol: symbolOf(tick),
        day: lookup.dayStart,
        lastVolume: baselines.get(tick.instrumentToken) ?? null,
        candles: candles.get(tick.instrumentToken) ?? [],
      });
    }
    for (const tick of leftovers) aggregator.apply(tick);
  };
}

export class SeedGate {
  private readonly seeded = new Map<number, number>();
  private readonly queue: Tick[][] = [];
  private pumping: Promise<void> | null = null;
  /** Instrument-days seeded, and loads that failed (those went on unseeded). */
  seeds = 0;
  failures = 0;

  /**
   * @param load    seeds the instrument-days first seen (null: no seeding, pass everything through)
   * @param deliver receives every batch, in order, once its instrument-days are seeded
   */
  constructor(
    private readonly load: SeedLoader | null,
    private readonly deliver: (ticks: readonly Tick[]) => void,
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
      if (first.length > 0) {
        try {
          await this.load!(first);
          this.seeds += first.length;
        } catch (error) {
          this.failures++;
          this.logger?.warn({ err: error, instruments: first.length }, 'could not load stored candles to continue; going on unseeded');
        }
      }
      this.queue.shift();
      try {
        this.deliver(batch);
      } catch (error) {
        this.logger?.error({ err: error }, 'delivering ticks failed');
      }
    }
  }
}
