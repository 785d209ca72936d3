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
 * The seeds are applied in tick order by `applySeeded` behind worker/pipeline/seed-gate.ts.
 */
import type { Database } from '@/lib/db/client';
import { getLastStoredVolumes, getSeedCandles, getStoredTicks, type SeedLookup } from '@/lib/db/queries/candle-seed';
import { getPreviousCloses } from '@/lib/db/queries/previous-close';
import { istDateStart, istDayStart } from '@/lib/market/session';
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
  /**
   * Previous session close (lib/db/queries/previous-close.ts): close in rupees and the IST day
   * start (epoch ms) of the daily candle it comes from, and whether it is the broker's official
   * day candle; null when none is stored. Stamped on the
   * instrument-day's ticks that do not carry the feed's own (previous-close-book.ts).
   */
  prevClose: { close: number; day: number; official: boolean } | null;
}

/** Seeds by `seedKey`, to apply in tick order (see `applySeeded`). */
export type PreparedSeeds = Map<string, PreparedSeed>;

/** Loads the seeds of instrument-days first seen in a batch (one tick per instrument-day given). */
export type SeedLoader = (firstTicks: readonly Tick[]) => Promise<PreparedSeed[]>;

/** Key of an instrument-day. */
export const seedKey = (instrumentToken: number, day: number) => `${instrumentToken}:${day}`;

/**
 * Apply `ticks` to `aggregator` in order, seeding each instrument-day found in `seeds` right
 * before its first tick (and re-aggregating that seed's stored leftover ticks). `onSeed` sees
 * each seed just before it is applied, while the aggregator still holds the previous day. Used
 * seeds are removed from the map.
 */
export function applySeeded(
  aggregator: CandleAggregator,
  ticks: readonly Tick[],
  seeds: PreparedSeeds | undefined,
  onSeed?: (prepared: PreparedSeed) => void,
): void {
  for (const tick of ticks) {
    if (seeds && seeds.size > 0) {
      const key = seedKey(tick.instrumentToken, istDayStart(tick.exchangeTime));
      const prepared = seeds.get(key);
      if (prepared) {
        seeds.delete(key);
        onSeed?.(prepared);
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
    const prevCloses = new Map<number, { close: number; day: number; official: boolean }>();
    for (const day of new Set(lookups.map((l) => l.dayStart))) {
      const tokens = lookups.filter((l) => l.dayStart === day).map((l) => l.instrumentToken);
      for (const [token, previous] of await getPreviousCloses(db, tokens, day)) {
        prevCloses.set(token, { close: previous.close, day: istDateStart(previous.date), official: previous.source === 'official' });
      }
    }
    return firstTicks.map((tick, i) => ({
      prevClose: prevCloses.get(tick.instrumentToken) ?? null,
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
