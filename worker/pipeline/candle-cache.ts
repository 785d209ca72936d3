/**
 * Recent candles in memory (issue 12 point 3): per instrument and timeframe, a bounded ring of
 * the candles the aggregator closed in this run, plus the aggregator's open candle, so that
 * `/api/candles` serves recent ranges without the database (lib/gateway `recentCandles`,
 * lib/api/candles/candle-reader.ts merges them with older rows from the database).
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
 * Versions, for the web side's response cache (lib/api/candles/response-cache.ts), in every read:
 * - `generation` (per instrument, a string unique to this process run): changes whenever the
 *   instrument's stored candles before the coverage start may have changed behind the cache:
 *   `invalidate(token)` (gap repair), `storedChanged(token)` (official day bars) and
 *   `written(candles)` when the candle writer stored a 1m
 *   candle below where any timeframe's memory starts (a partial first candle, an amendment of
 *   an evicted bucket, the minutes of the first 5m … 1h bucket of a run). Database rows before `coveredFrom` cached under one generation stay
 *   valid until it changes.
 * - `version` (per instrument and timeframe): changes on every closed, amended or skipped candle
 *   and on invalidation (not on open-candle updates: those are read fresh every time).
 *
 * Memory: ≈ 120 bytes per candle; defaults hold 2,000 1m candles (5+ sessions) and 1,000 of 5m …
 * 1h per instrument, ≈ 0.7 MB per instrument at full rings. Candles are plain copies.
 */
import type { Candle } from '@/lib/market/tick';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';

export const DEFAULT_CANDLE_CACHE_CAPACITY: Record<Timeframe, number> = { '1m': 2000, '5m': 1000, '15m': 1000, '30m': 1000, '1h': 1000, '1d': 0 };

/**
 * Ring capacities from CANDLE_CACHE_CAPACITY: comma-separated `timeframe=candles` entries
 * overriding the defaults, e.g. `1m=4000,1h=0` (0 keeps none of that timeframe's closed candles:
 * its reads go to the database before the open candle). 1d always keeps none. Unset or empty:
 * the defaults.
 * @throws Error naming CANDLE_CACHE_CAPACITY on an unknown timeframe or a count that is not a whole number ≥ 0
 */
export function candleCacheCapacity(value = process.env.CANDLE_CACHE_CAPACITY): Record<Timeframe, number> {
  const capacity = { ...DEFAULT_CANDLE_CACHE_CAPACITY };
  for (const entry of (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [timeframe, count] = entry.split('=').map((p) => p.trim());
    const n = Number(count);
    if (!(TIMEFRAMES as readonly string[]).includes(timeframe) || count === undefined || count === '' || !Number.isInteger(n) || n < 0) {
      throw new Error(`CANDLE_CACHE_CAPACITY: "${entry}" is not timeframe=candles (timeframes ${TIMEFRAMES.join(' ')}, candles a whole number ≥ 0)`);
    }
    if (timeframe !== '1d') capacity[timeframe as Timeframe] = n;
  }
  return capacity;
}

/** What the cache reads the open candle from (the aggregator). */
export interface OpenCandles {
  current(instrumentToken: number, timeframe: Timeframe): Candle | undefined;
}

/** A memory read: candles with bucket in [max(from, coveredFrom), to), oldest first; coveredFrom null = nothing covered. */
export interface RecentCandles {
  coveredFrom: number | null;
  candles: Candle[];
  /** See the file comment: stored candles before coveredFrom are unchanged while this is. */
  generation: string;
  /** Closed-candle version of this instrument and timeframe (see the file comment). */
  version: number;
}

interface Ring {
  /** Ascending by bucket. */
  candles: Candle[];
  coveredFrom: number | null;
  /** The first closed candle of the run was seen (and skipped). */
  started: boolean;
  /** Bumped on every change of `candles` or `coveredFrom`. */
  version: number;
}

/** Distinguishes this process run's generations from an earlier run's (a web process outlives a worker restart). */
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let instances = 0;

const key = (token: number, timeframe: Timeframe) => `${token}:${timeframe}`;

export class CandleCache {
  private readonly rings = new Map<string, Ring>();
  private readonly generations = new Map<number, number>();
  /** Versions survive a ring's removal (invalidate), so a re-created ring never repeats one. */
  private versionSeq = 0;
  /** This cache's prefix of its generations (unique per process run and instance). */
  private readonly run = `${RUN}.${++instances}`;

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
    if (!ring) this.rings.set(k, (ring = { candles: [], coveredFrom: null, started: false, version: 0 }));
    ring.version = ++this.versionSeq;
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

  /**
   * Forget an instrument's closed candles (its stored candles changed behind the aggregator:
   * gap repair, imports, official day bars); coverage restarts and its generation changes.
   */
  invalidate(instrumentToken: number): void {
    for (const timeframe of TIMEFRAMES) this.rings.delete(key(instrumentToken, timeframe));
    this.generations.set(instrumentToken, (this.generations.get(instrumentToken) ?? 0) + 1);
    this.versionSeq++;
  }

  /**
   * The candle writer stored these 1m candles (bucket epoch ms). A candle below where the memory
   * of any timeframe of its instrument starts (its ring's coverage, else its open candle; no
   * memory at all counts as below) changed rows that reads take from the database (a 1m row
   * also feeds the 5m … 1d roll-ups), so that instrument's generation changes. Candles at or
   * after every start are the memory's own and change nothing.
   */
  written(candles: readonly { instrumentToken: number; bucket: number }[]): void {
    const bumped = new Set<number>();
    for (const candle of candles) {
      if (bumped.has(candle.instrumentToken) || !this.belowMemory(candle.instrumentToken, candle.bucket)) continue;
      bumped.add(candle.instrumentToken);
      this.generations.set(candle.instrumentToken, (this.generations.get(candle.instrumentToken) ?? 0) + 1);
    }
  }

  private belowMemory(instrumentToken: number, bucket: number): boolean {
    for (const timeframe of TIMEFRAMES) {
      const start = this.rings.get(key(instrumentToken, timeframe))?.coveredFrom ?? this.open?.current(instrumentToken, timeframe)?.bucket ?? null;
      if (start === null || bucket < start) return true;
    }
    return false;
  }

  /**
   * Stored candles of an instrument changed outside what the memory holds (official day bars
   * replacing provisional ones: 1d keeps no closed candles): only its generation changes.
   */
  storedChanged(instrumentToken: number): void {
    this.generations.set(instrumentToken, (this.generations.get(instrumentToken) ?? 0) + 1);
  }

  /** The instrument's generation (see the file comment). */
  generation(instrumentToken: number): string {
    return `${this.run}.${this.generations.get(instrumentToken) ?? 0}`;
  }

  /** Candles of [from, to) held in memory (closed, then the open one), with the coverage start. */
  read(instrumentToken: number, timeframe: Timeframe, from: number, to: number): RecentCandles {
    const ring = this.rings.get(key(instrumentToken, timeframe));
    const open = this.open?.current(instrumentToken, timeframe);
    const generation = this.generation(instrumentToken);
    const version = ring?.version ?? 0;
    let coveredFrom = ring?.coveredFrom ?? null;
    if (coveredFrom === null && open) coveredFrom = open.bucket;
    if (coveredFrom === null) return { coveredFrom: null, candles: [], generation, version };
    const start = Math.max(from, coveredFrom);
    const list = ring?.candles ?? [];
    // Binary search for the first bucket ≥ start.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].bucket < start) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < list.length && list[end].bucket < to) end++;
    // Ring candles are never mutated (an amendment replaces the object), so they are shared.
    const candles = list.slice(lo, end);
    if (open && open.bucket >= start && open.bucket < to && (candles.length === 0 || candles[candles.length - 1].bucket < open.bucket)) {
      candles.push({ ...open });
    }
    return { coveredFrom, candles, generation, version };
  }

  /** Rings held and candles in them (health, tests). */
  get size(): { rings: number; candles: number } {
    let candles = 0;
    for (const ring of this.rings.values()) candles += ring.candles.length;
    return { rings: this.rings.size, candles };
  }
}
