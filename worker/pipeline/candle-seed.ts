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
import type { CandleAggregator, InstrumentSeed } from './aggregator';

/**
 * The seed of one instrument-day and the stored ticks to re-aggregate after it, to be applied
 * right before that instrument-day's first new tick (in tick order: earlier ticks of the same
 * batch may still belong to the previous day's open candles).
 */
export interface PreparedSeed {
  seed: InstrumentSeed;
  leftovers: Tick[];
}

/** Seeds by `seedKey`, to apply in tick order (see `applySeeded`). */
export type PreparedSeeds = Map<string, PreparedSeed>;

/** Loads the seeds of instrument-days first seen in a batch (one tick per instrument-day given). */
export type SeedLoader = (firstTicks: readonly Tick[]) => Promise<PreparedSeed[]>;

/** Key of an instrument-day. */
export const seedKey = (instrumentToken: number, day: number) => `${instrumentToken}:${day}`;

/**
 * Apply `ticks` to `aggregator` in order, seeding each instrument-day found in `seeds` right
 * before its first tick (and re-aggregating that seed's stored leftover ticks). Used seeds are
 * removed from the map.
 */
export function applySeeded(aggregator: CandleAggregator, ticks: readonly Tick[], seeds: PreparedSeeds | undefined): void {
  for (const tick of ticks) {
    if (seeds && seeds.size > 0) {
      const key = seedKey(tick.instrumentToken, istDayStart(tick.exchangeTime));
      const prepared = seeds.get(key);
      if (prepared) {
        seeds.delete(key);
        aggregator.seed(prepared.seed);
        for (const leftover of prepared.leftovers) aggregator.apply(leftover);
      }
    }
    aggregator.apply(tick);
  }
}

/**
 * A loader of seeds from `db` (see the file comment) for the first tick of each new
 * instrument-day. Throws the database error (the gate then goes on unseeded).
 */
export function databaseSeedLoader(db: Database): SeedLoader {
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
    return firstTicks.map((tick, i) => ({
      seed: {
        instrumentToken: tick.instrumentToken,
        symbol: symbolOf(tick),
        day: lookups[i].dayStart,
        lastVolume: baselines.get(tick.instrumentToken) ?? null,
        candles: candles.get(tick.instrumentToken) ?? [],
      },
      leftovers: leftovers.filter((t) => t.instrumentToken === tick.instrumentToken),
    }));
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
