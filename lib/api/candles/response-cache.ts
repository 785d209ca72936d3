/**
 * Caches behind GET /api/candles (issue 12 point 3): a read of a range the worker's memory covers
 * runs no database query and, while nothing changed, not even JSON serialisation.
 *
 * Bounded maps, process-wide (one route bundle loads this module):
 * - stored rows: the database's candles of [from, boundary) (boundary = where the worker's memory
 *   coverage starts, or `to`) as JSON text, keyed by instrument, timeframe, from, boundary, limit
 *   and the worker's `generation` for the instrument (worker/pipeline/candle-cache.ts: it changes
 *   whenever those rows may have changed: gap repair, official day bars, a candle written below
 *   the coverage). A TTL (CANDLE_STORED_TTL_MS, default 10 s) bounds what a writer outside the
 *   worker (the import or backfill CLI on a TimescaleDB server) can leave stale. Identical
 *   concurrent loads share one query.
 * - gap minutes: the stored 1m minutes (complete, partial) of [from, boundary₁ₘ), same keys.
 * - gap reports: the JSON per stamp (stored-minutes key, range, the memory's 1m version, the
 *   current minute).
 * - bodies: per normalised query, the last body and its ETag with the stamp it was built from
 *   (stored-rows key, the memory's closed-candle `version` and the open candle's values); a
 *   request whose stamp matches reuses them. The memory is read on every request, so a body is
 *   never older than the open candle in the worker (fresher than the CONFLATE_MS broadcasts).
 *
 * Sizes: CANDLE_RESPONSE_CACHE_ENTRIES (default 500) entries per map, the oldest dropped first;
 * an entry holds one range's JSON (≈ 85 bytes per candle: a 375-candle day ≈ 32 KB, a 5,000-
 * candle range ≈ 430 KB; at the default ≈ 16 MB for day-sized ranges, ≤ 3 × 215 MB worst case).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredCandle } from '@/lib/db/queries/candles';
import { toApiCandle } from '@/lib/contracts/candle';

/** Knobs (docs/operations.md), read once. */
export const RESPONSE_CACHE = {
  entries: positive(process.env.CANDLE_RESPONSE_CACHE_ENTRIES, 500),
  storedTtlMs: positive(process.env.CANDLE_STORED_TTL_MS, 10_000),
};

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** A Map that drops its oldest entry past `max` and treats expired entries as absent. */
export class BoundedCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();
  constructor(private readonly max: number) {}

  get(key: string, now = Date.now()): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.expires <= now) {
      this.map.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, ttlMs = Number.POSITIVE_INFINITY, now = Date.now()): void {
    if (this.max <= 0) return;
    this.map.delete(key);
    this.map.set(key, { value, expires: now + ttlMs });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * `load()` once per key while fresh: cached for `ttlMs`, identical concurrent callers share one
 * load (a failed load is not cached).
 */
export function cachedLoad<V>(cache: BoundedCache<V>, inFlight: Map<string, Promise<V>>, key: string, ttlMs: number, load: () => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit !== undefined) return Promise.resolve(hit);
  let shared = inFlight.get(key);
  if (!shared) {
    shared = load();
    inFlight.set(key, shared);
    const done = () => {
      if (inFlight.get(key) === shared) inFlight.delete(key);
    };
    shared.then((value) => {
      done();
      cache.set(key, value, ttlMs);
    }, done);
  }
  return shared;
}

/** Database rows of a range with their JSON text (the candles array's elements, comma-joined). */
export interface StoredPart {
  candles: StoredCandle[];
  json: string;
  /** Load number (part of the body stamp: a reload after the TTL may differ under the same key). */
  seq: number;
}

/** Stored 1m minutes of a range, with their load number. */
export interface StoredMinutes {
  complete: Set<number>;
  partial: Set<number>;
  seq: number;
}

let loads = 0;
/** A new load number. */
export const nextLoad = () => ++loads;

/** Candles → the comma-joined JSON of their API shape. */
export function candlesJson(candles: readonly StoredCandle[]): string {
  let out = '';
  for (let i = 0; i < candles.length; i++) out += (i === 0 ? '' : ',') + JSON.stringify(toApiCandle(candles[i]));
  return out;
}

const SLICE_CANDLES = 1000;

/**
 * candlesJson for arrays that can be long (database loads: up to 5,000 candles, ~0.5 MB): built
 * in slices of 1,000 candles with a turn of the event loop between them, so the serving thread
 * keeps answering (/api/health, Socket.IO) while many long ranges are serialised (issue 12
 * point 1). Same text as candlesJson.
 */
export async function candlesJsonInSlices(candles: readonly StoredCandle[]): Promise<string> {
  if (candles.length <= SLICE_CANDLES) return candlesJson(candles);
  const parts: string[] = [];
  for (let at = 0; at < candles.length; at += SLICE_CANDLES) {
    if (at > 0) await nextTurn();
    parts.push(candlesJson(candles.slice(at, at + SLICE_CANDLES)));
  }
  return parts.join(',');
}

export const storedRows = new BoundedCache<StoredPart>(RESPONSE_CACHE.entries);
export const storedRowsInFlight = new Map<string, Promise<StoredPart>>();
export const storedMinutes = new BoundedCache<StoredMinutes>(RESPONSE_CACHE.entries);
export const storedMinutesInFlight = new Map<string, Promise<StoredMinutes>>();
/** Gap report JSON per stamp (stored-minutes key, range, memory 1m version, current minute). */
export const gapReports = new BoundedCache<string>(RESPONSE_CACHE.entries);
/** Last body per normalised query, with the stamp it was built from. */
export const bodies = new BoundedCache<{ stamp: string; body: Uint8Array<ArrayBuffer>; etag: string; prefixKey: string; prefixText: string }>(RESPONSE_CACHE.entries);

/** Database work actually run for this route (tests: a memory-covered read runs none). */
export const responseStats = { storedLoads: 0, minuteLoads: 0, bodiesBuilt: 0 };

/** Forget everything (tests). */
export function clearResponseCaches(): void {
  storedRows.clear();
  storedMinutes.clear();
  gapReports.clear();
  bodies.clear();
}
