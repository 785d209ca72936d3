/**
 * lib/api/candles/response-cache.ts candlesJsonInSlices: the same text as candlesJson, built in
 * slices of 1,000 candles with event-loop turns between them (other callbacks run meanwhile).
 */
import { describe, expect, it } from 'vitest';
import { candlesJson, candlesJsonInSlices } from '@/lib/api/candles/response-cache';
import type { StoredCandle } from '@/lib/db/queries/candles';

const T0 = Date.parse('2026-01-05T09:15:00+05:30');
const candles = (n: number): StoredCandle[] =>
  Array.from({ length: n }, (_, i) => ({ bucket: new Date(T0 + i * 60_000), open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 10 * i, oi: i % 2 ? null : i }));

describe('candlesJsonInSlices', () => {
  it('gives the same text as candlesJson for any length', async () => {
    for (const n of [0, 1, 999, 1000, 1001, 2500]) {
      const list = candles(n);
      expect(await candlesJsonInSlices(list)).toBe(candlesJson(list));
      expect(JSON.parse(`[${await candlesJsonInSlices(list)}]`)).toHaveLength(n);
    }
  });

  it('lets other callbacks run between slices of a long array, not for a short one', async () => {
    const ran = async (n: number) => {
      let other = false;
      setImmediate(() => (other = true));
      await candlesJsonInSlices(candles(n));
      return other;
    };
    expect(await ran(3000)).toBe(true);
    expect(await ran(500)).toBe(false);
  });
});
