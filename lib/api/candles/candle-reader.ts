/**
 * Candle reads for GET /api/candles: memory first, the database for what memory does not cover.
 *
 * `readCandles(db, range, recent)`:
 * - `recent(range)` (the worker's CandleCache through the gateway, lib/gateway `recentCandles`)
 *   answers `{ coveredFrom, candles }`: every candle with bucket in [max(from, coveredFrom), to)
 *   that the database has or will have once written, plus the open candle (newer than anything
 *   stored). null or a rejection = no memory (the database answers everything).
 * - The database (lib/db/queries/candles.ts getCandles) answers [from, min(to, coveredFrom)); the
 *   two are concatenated at the boundary and the newest `limit` (5,000) kept, so once the
 *   memory candles are written the result equals the database's (test/db/candle-reader.test.ts).
 * - Identical concurrent database reads (same instrument, timeframe, from, to, limit) share one
 *   query (`coalescedGetCandles`; `dbReads` counts queries actually run).
 * Errors: database errors propagate (500 through the route wrapper).
 */
import type { Database } from '@/lib/db/client';
import { getCandles, type StoredCandle } from '@/lib/db/queries/candles';
import type { Candle } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';

export interface CandleRange {
  instrumentToken: number;
  timeframe: Timeframe;
  from: Date;
  to: Date;
  /** Newest candles kept (default 5,000). */
  limit?: number;
}

export interface RecentCandlesAnswer {
  coveredFrom: number | null;
  candles: readonly Candle[];
}

const inFlight = new Map<string, Promise<StoredCandle[]>>();
/** Database reads actually run (tests: N identical concurrent requests → 1). */
export const readerStats = { dbReads: 0 };

/** getCandles, shared by identical concurrent callers (the array is shared: do not mutate it). */
export function coalescedGetCandles(db: Database, range: CandleRange): Promise<StoredCandle[]> {
  const key = `${range.instrumentToken}|${range.timeframe}|${range.from.getTime()}|${range.to.getTime()}|${range.limit ?? 5000}`;
  let shared = inFlight.get(key);
  if (!shared) {
    readerStats.dbReads++;
    shared = getCandles(db, range);
    inFlight.set(key, shared);
    const clear = () => {
      if (inFlight.get(key) === shared) inFlight.delete(key);
    };
    shared.then(clear, clear);
  }
  return shared;
}

/** A memory candle in the database's shape (1d: a live roll-up, so provisional). */
export function toStoredCandle(candle: Candle): StoredCandle {
  return {
    bucket: new Date(candle.bucket),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    oi: candle.oi,
    ...(candle.timeframe === '1d' ? { provisional: true } : {}),
  };
}

/** Candles of `range`, oldest first: memory where covered, the database before that. */
export async function readCandles(
  db: Database,
  range: CandleRange,
  recent?: (range: CandleRange) => Promise<RecentCandlesAnswer | null>,
): Promise<{ candles: StoredCandle[]; fromMemory: number }> {
  const limit = range.limit ?? 5000;
  const memory = recent ? await recent(range).catch(() => null) : null;
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!memory || memory.coveredFrom === null || memory.coveredFrom >= to) {
    return { candles: await coalescedGetCandles(db, range), fromMemory: 0 };
  }
  const boundary = Math.max(from, memory.coveredFrom);
  const stored = boundary > from ? await coalescedGetCandles(db, { ...range, to: new Date(boundary) }) : [];
  const fresh = memory.candles.filter((c) => c.bucket >= boundary && c.bucket < to).map(toStoredCandle);
  const merged = stored.length === 0 ? fresh : [...stored, ...fresh];
  return { candles: merged.length > limit ? merged.slice(merged.length - limit) : merged, fromMemory: fresh.length };
}
