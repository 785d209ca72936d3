/**
 * CandleCache generation and version (worker/pipeline/candle-cache.ts; issue 12 point 3): what
 * the /api/candles caches key on. The generation changes when stored candles below the memory
 * coverage change (invalidate, a written candle below coverage), never for the cache's own
 * candles; the version changes on every closed candle, not on open-candle reads.
 */
import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/market/tick';
import { CandleCache, candleCacheCapacity, DEFAULT_CANDLE_CACHE_CAPACITY } from '@/worker/pipeline/candle-cache';

const T0 = Date.parse('2026-01-05T09:15:00+05:30');
const MIN = 60_000;
const candle = (i: number, fields: Partial<Candle> = {}): Candle => ({
  instrumentToken: 1, symbol: 'NSE:ONE', timeframe: '1m', closed: true, bucket: T0 + i * MIN, open: 100, high: 101, low: 99, close: 100 + i, volume: 10, oi: null, ...fields,
});

describe('CandleCache generation and version', () => {
  it('keeps the generation for its own candles, changes it for rows below coverage and on invalidate', () => {
    let open: Candle | undefined = candle(5);
    // The aggregator's open candles: 1m at minute 5, 5m … 1h from T0, 1d from the IST midnight.
    const dayStart = T0 - (9 * 60 + 15) * MIN;
    const cache = new CandleCache({
      current: (_, timeframe) => (open && timeframe !== '1m' ? { ...open, timeframe, bucket: timeframe === '1d' ? dayStart : T0 } : open),
    });
    const g0 = cache.read(1, '1m', 0, Infinity).generation;
    for (let i = 0; i < 5; i++) cache.add(candle(i));
    const read = cache.read(1, '1m', 0, Infinity);
    expect(read.generation).toBe(g0);
    expect(read.coveredFrom).toBe(T0);
    expect(read.candles.map((c) => c.close)).toEqual([100, 101, 102, 103, 104, 105]);

    cache.written([{ instrumentToken: 1, bucket: T0 + 2 * MIN }]); // its own candle, after every timeframe's start: no change
    expect(cache.read(1, '1m', 0, Infinity).generation).toBe(g0);
    cache.written([{ instrumentToken: 1, bucket: T0 - MIN }]); // below coverage: stored rows changed
    const g1 = cache.read(1, '1m', 0, Infinity).generation;
    expect(g1).not.toBe(g0);
    cache.written([{ instrumentToken: 2, bucket: T0 }]); // another instrument (no ring): its own generation only
    expect(cache.read(1, '1m', 0, Infinity).generation).toBe(g1);
    // A 5m ring that starts later (its first bucket of the run was skipped): a 1m row before it
    // feeds a 5m bar the database answers, so the generation changes.
    cache.add({ ...candle(0), timeframe: '5m' });
    expect(cache.read(1, '5m', 0, Infinity).coveredFrom).toBe(T0 + 5 * MIN);
    cache.written([{ instrumentToken: 1, bucket: T0 + 4 * MIN }]);
    const g2 = cache.read(1, '1m', 0, Infinity).generation;
    expect(g2).not.toBe(g1);
    cache.written([{ instrumentToken: 1, bucket: T0 + 5 * MIN }]);
    expect(cache.read(1, '1m', 0, Infinity).generation).toBe(g2);

    cache.storedChanged(1); // official day bars: a new generation, the rings stay
    const g3 = cache.read(1, '1m', 0, Infinity);
    expect(g3.generation).not.toBe(g2);
    expect(g3.candles).toHaveLength(6);
    cache.invalidate(1);
    const after = cache.read(1, '1m', 0, Infinity);
    expect(after.generation).not.toBe(g3.generation);
    expect(after.coveredFrom).toBe(open!.bucket); // coverage restarts at the open candle
    expect(after.candles.map((c) => c.bucket)).toEqual([open!.bucket]);
    open = undefined;
    expect(cache.read(1, '1m', 0, Infinity).coveredFrom).toBeNull();
  });

  it('changes the version on every closed candle, not on open-candle updates; another cache never repeats a generation', () => {
    let open: Candle = candle(3);
    const cache = new CandleCache({ current: () => open });
    cache.add(candle(0));
    cache.add(candle(1));
    const v1 = cache.read(1, '1m', 0, Infinity).version;
    open = candle(3, { close: 999 });
    const read = cache.read(1, '1m', 0, Infinity);
    expect(read.version).toBe(v1);
    expect(read.candles.at(-1)!.close).toBe(999); // the open candle is read fresh
    cache.add(candle(2));
    expect(cache.read(1, '1m', 0, Infinity).version).not.toBe(v1);
    cache.add(candle(2, { close: 5 })); // an amendment
    const v3 = cache.read(1, '1m', 0, Infinity).version;
    expect(cache.read(1, '1m', 0, Infinity).candles.find((c) => c.bucket === T0 + 2 * MIN)!.close).toBe(5);
    expect(v3).toBeGreaterThan(v1);
    expect(new CandleCache(null).generation(1)).not.toBe(cache.generation(1));
  });

  it('reads CANDLE_CACHE_CAPACITY overrides and names the variable on a bad entry', () => {
    expect(candleCacheCapacity(undefined)).toEqual(DEFAULT_CANDLE_CACHE_CAPACITY);
    expect(candleCacheCapacity(' 1m=4000, 1h=0 ,1d=50')).toEqual({ ...DEFAULT_CANDLE_CACHE_CAPACITY, '1m': 4000, '1h': 0 });
    expect(() => candleCacheCapacity('2m=10')).toThrow(/CANDLE_CACHE_CAPACITY: "2m=10"/);
    expect(() => candleCacheCapacity('1m=-1')).toThrow(/CANDLE_CACHE_CAPACITY/);
    expect(() => candleCacheCapacity('1m')).toThrow(/CANDLE_CACHE_CAPACITY/);
  });
});
