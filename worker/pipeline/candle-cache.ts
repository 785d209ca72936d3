/**
 * Recent candles in memory (issue 12 point 3): per instrument and timeframe, a bounded ring of
 * the candles the aggregator closed in this run, plus the aggregator's open candle, so that
 * `/api/candles` serves recent ranges without the database (lib/gateway `recentCandles`,
 * app/api/candles/candle-reader.ts merges them with older rows from the database).
 *
 * Coverage (`coveredFrom`, epoch ms): the first bucket from which this cache holds every candle
 * the database has or will have, i.e. the range [coveredFrom, ∞) may be answered from memory
 * alone. 1m: it starts at the first 1m candle closed in this run (the writer upserts exactly the
 * candles the aggregator closes). 5m … 1h: after the first one (the database rolls those up from
 * 1m candles, which may include minutes from before this run), and it moves past:
 * - any `partial` candle (volume unknown; gap repair may replace it in the database),
 * - candles evicted from a full ring (capacity per timeframe, CANDLE_CACHE_CAPACITY),
 * - `invalidate(token)` (something else wrote that instrument's candles: gap repair, imports).
 * Amendments (a late tick re-closing the last bucket) replace the stored candle, as the writer
 * upserts it. 1d keeps no closed candles (the database's day bars can be replaced by the
 * broker's official ones after the close, lib/db/queries/candles.ts): only the open day is served
 * from memory. Without closed candles, coverage starts at the open candle's bucket.
 *
 * Memory: ≈ 120 bytes per candle; defaults hold 2,000 1m candles (5+ sessions) and 1,000 of 5m …
 * 1h per instrument, ≈ 0.7 MB per instrument at full rings. Candles are plain copies.
 */
import type { Candle } from '@/lib/market/tick';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';

export const DEFAULT_CANDLE_CACHE_CAPACITY: Record<Timeframe, number> = { '1m': 2000, '5m': 1000, '15m': 1000, '30m': 1000, '1h': 1000, '1d': 0 };

/** What the cache reads the open candle from (the aggregator). */
export interface OpenCandles {
  current(instrumentToken: number, timeframe: Timeframe): Candle | undefined;
}

/** A memory read: candles with bucket in [max(from, coveredFrom), to), oldest first; coveredFrom null = nothing covered. */
export interface RecentCandles {
  coveredFrom: number | null;
  candles: Candle[];
}

interface Ring {
  /** Ascending by bucket. */
  candles: Candle[];
  coveredFrom: number | null;
  /** The first closed candle of the run was seen (and skipped). */
  started: boolean;
}

const key = (token: number, timeframe: Timeframe) => `${token}:${timeframe}`;

export class CandleCache {
  private readonly rings = new Map<string, Ring>();

  constructor(
    private readonly open: OpenCandles | null = null,
    private readonly capacity: Record<Timeframe, number> = DEFAULT_CANDLE_CACHE_CAPACITY,
  ) {}

  /** A closed (or amended) candle from the aggregator. */
  add(candle: Candle): void {
    const timeframe = candle.timeframe;
    if (this.capacity[timeframe] <= 0) return;
    const k = key(candle.instrumentToken, timeframe);
    let ring = this.rings.get(k);
    if (!ring) this.rings.set(k, (ring = { candles: [], coveredFrom: null, started: false }));
    const next = candle.bucket + TIMEFRAME_MS[timeframe];
    if ((!ring.started && timeframe !== '1m') || candle.partial) {
      ring.started = true;
      if (ring.coveredFrom === null || next > ring.coveredFrom) {
        ring.coveredFrom = next;
        ring.candles = ring.candles.filter((c) => c.bucket >= next);
      }
      return;
    }
    if (!ring.started) {
      ring.started = true;
      ring.coveredFrom = candle.bucket;
    }
    if (ring.coveredFrom === null || candle.bucket < ring.coveredFrom) return;
    const list = ring.candles;
    const copy = { ...candle };
    const last = list[list.length - 1];
    if (!last || candle.bucket > last.bucket) list.push(copy);
    else {
      let i = list.length - 1;
      while (i >= 0 && list[i].bucket > candle.bucket) i--;
      if (i >= 0 && list[i].bucket === candle.bucket) list[i] = copy;
      else list.splice(i + 1, 0, copy);
    }
    if (list.length > this.capacity[timeframe]) {
      list.shift();
      ring.coveredFrom = list[0].bucket;
    }
  }

  /** Forget an instrument's closed candles (its stored candles changed behind the aggregator); coverage restarts. */
  invalidate(instrumentToken: number): void {
    for (const timeframe of TIMEFRAMES) this.rings.delete(key(instrumentToken, timeframe));
  }

  /** Candles of [from, to) held in memory (closed, then the open one), with the coverage start. */
  read(instrumentToken: number, timeframe: Timeframe, from: number, to: number): RecentCandles {
    const ring = this.rings.get(key(instrumentToken, timeframe));
    const open = this.open?.current(instrumentToken, timeframe);
    let coveredFrom = ring?.coveredFrom ?? null;
    if (coveredFrom === null && open) coveredFrom = open.bucket;
    if (coveredFrom === null) return { coveredFrom: null, candles: [] };
    const start = Math.max(from, coveredFrom);
    const candles: Candle[] = [];
    const list = ring?.candles ?? [];
    // Binary search for the first bucket ≥ start.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].bucket < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length && list[i].bucket < to; i++) candles.push(list[i]);
    if (open && open.bucket >= start && open.bucket < to && (candles.length === 0 || candles[candles.length - 1].bucket < open.bucket)) {
      candles.push({ ...open });
    }
    return { coveredFrom, candles };
  }

  /** Rings held and candles in them (health, tests). */
  get size(): { rings: number; candles: number } {
    let candles = 0;
    for (const ring of this.rings.values()) candles += ring.candles.length;
    return { rings: this.rings.size, candles };
  }
}
