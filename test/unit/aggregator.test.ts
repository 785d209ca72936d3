import { describe, expect, it } from 'vitest';
import type { Candle, Tick } from '@/lib/market/tick';
import { CandleAggregator } from '@/worker/pipeline/aggregator';
import { makeTick } from '../support/ticks';

const ist = (text: string) => Date.parse(`${text}+05:30`);

function tick(time: string, ltp: number, volume: number, extra: Partial<Tick> = {}): Tick {
  return makeTick({ instrumentToken: 738561, tradingsymbol: 'RELIANCE', exchangeTime: ist(time), ltp, volume, ...extra });
}

function collect(timeframes: Parameters<typeof CandleAggregator.prototype.current>[1][], graceMs = 0) {
  const closed: Candle[] = [];
  const aggregator = new CandleAggregator({ timeframes, onClose: (c) => closed.push({ ...c }), graceMs });
  return { aggregator, closed };
}

describe('CandleAggregator', () => {
  it('anchors hourly buckets at 09:15 IST (09:15, 10:15, … 15:15) whatever the server time zone', () => {
    const { aggregator, closed } = collect(['1h']);
    aggregator.apply(tick('2025-10-29T09:15:05', 100, 1000));
    aggregator.apply(tick('2025-10-29T10:14:59', 101, 1100));
    aggregator.apply(tick('2025-10-29T10:15:00', 102, 1200));
    aggregator.apply(tick('2025-10-29T15:29:59', 103, 1300));
    expect(closed.map((c) => new Date(c.bucket).toISOString())).toEqual([
      '2025-10-29T03:45:00.000Z', // 09:15 IST
      '2025-10-29T04:45:00.000Z', // 10:15 IST
    ]);
    expect(new Date(aggregator.current(738561, '1h')!.bucket).toISOString()).toBe('2025-10-29T09:45:00.000Z');
  });

  it('anchors 30m buckets at 09:15 and the day bucket at 00:00 IST', () => {
    const { aggregator } = collect(['30m', '1d']);
    aggregator.apply(tick('2025-10-29T09:44:59', 100, 10));
    expect(aggregator.current(738561, '30m')!.bucket).toBe(ist('2025-10-29T09:15:00'));
    expect(aggregator.current(738561, '1d')!.bucket).toBe(ist('2025-10-29T00:00:00'));
    aggregator.apply(tick('2025-10-29T09:45:00', 100, 20));
    expect(aggregator.current(738561, '30m')!.bucket).toBe(ist('2025-10-29T09:45:00'));
  });

  it('builds OHLC from LTP and volume from cumulative day volume differences, never summing tick quantities', () => {
    const { aggregator, closed } = collect(['1m']);
    aggregator.apply(tick('2025-10-29T10:00:01', 100, 5000, { lastQuantity: 999 }));
    aggregator.apply(tick('2025-10-29T10:00:20', 105, 5300, { lastQuantity: 999 }));
    aggregator.apply(tick('2025-10-29T10:00:40', 98, 5450, { lastQuantity: 999 }));
    aggregator.apply(tick('2025-10-29T10:00:59', 101, 5500, { lastQuantity: 999 }));
    aggregator.apply(tick('2025-10-29T10:01:02', 102, 5600, { lastQuantity: 999 }));
    expect(closed).toHaveLength(1);
    // First tick mid-session only sets the baseline (5000): candle volume = 5500 - 5000.
    expect(closed[0]).toMatchObject({ open: 100, high: 105, low: 98, close: 101, volume: 500, closed: true });
    expect(aggregator.current(738561, '1m')).toMatchObject({ open: 102, volume: 100, closed: false });
  });

  it('gives the whole cumulative volume to the first candle of the day when the first tick is at the open', () => {
    const { aggregator, closed } = collect(['1m']);
    aggregator.apply(tick('2025-10-29T09:15:00', 100, 40_000));
    aggregator.apply(tick('2025-10-29T09:15:30', 101, 41_000));
    aggregator.closeDue(ist('2025-10-29T09:16:00'));
    expect(closed[0].volume).toBe(41_000);
  });

  it('resets the volume baseline on a new IST day', () => {
    const { aggregator, closed } = collect(['1m']);
    aggregator.apply(tick('2025-10-29T15:29:10', 100, 900_000));
    aggregator.apply(tick('2025-10-29T15:29:50', 100, 900_500));
    aggregator.apply(tick('2025-10-30T09:15:02', 110, 30_000));
    aggregator.apply(tick('2025-10-30T09:16:00', 110, 31_000));
    expect(closed.map((c) => c.volume)).toEqual([500, 30_000]);
  });

  it('keeps OI as the last value of the bucket', () => {
    const { aggregator } = collect(['5m']);
    aggregator.apply(tick('2025-10-29T10:00:01', 100, 10, { oi: 500 }));
    aggregator.apply(tick('2025-10-29T10:01:01', 100, 20, { oi: 700 }));
    aggregator.apply(tick('2025-10-29T10:02:01', 100, 30, { oi: 650 }));
    expect(aggregator.current(738561, '5m')!.oi).toBe(650);
  });

  it('closes candles on a timer at the bucket end, without waiting for the next tick', () => {
    const { aggregator, closed } = collect(['1m', '5m'], 500);
    aggregator.apply(tick('2025-10-29T10:00:01', 100, 10));
    expect(aggregator.closeDue(ist('2025-10-29T10:01:00'))).toBe(0); // grace not yet over
    expect(aggregator.closeDue(ist('2025-10-29T10:01:00.500'))).toBe(1);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ timeframe: '1m', closed: true, bucket: ist('2025-10-29T10:00:00') });
    expect(aggregator.current(738561, '1m')).toBeUndefined();
    expect(aggregator.current(738561, '5m')).toBeDefined();
    aggregator.closeDue(ist('2025-10-29T10:05:00.500'));
    expect(closed.map((c) => c.timeframe)).toEqual(['1m', '5m']);
  });

  it('amends the last closed candle with a late tick and re-emits it; older ticks are counted and left out', () => {
    const { aggregator, closed } = collect(['1m']);
    aggregator.apply(tick('2025-10-29T10:00:10', 100, 1000));
    aggregator.apply(tick('2025-10-29T10:00:30', 101, 1100));
    aggregator.apply(tick('2025-10-29T10:01:05', 102, 1200));
    expect(closed).toHaveLength(1);
    // Late: belongs to 10:00, arrives after 10:01 opened, with a new high and more volume. It is
    // the newest trade of 10:00 (10:00:59 > 10:00:30), so it is also the close.
    aggregator.apply(tick('2025-10-29T10:00:59', 104, 1250));
    expect(closed).toHaveLength(2);
    expect(closed[1]).toMatchObject({ bucket: ist('2025-10-29T10:00:00'), high: 104, close: 104, volume: 150, closed: true });
    // Later still but older than that candle's newest tick: a new low, the close stays.
    aggregator.apply(tick('2025-10-29T10:00:20', 99, 1250));
    expect(closed[2]).toMatchObject({ bucket: ist('2025-10-29T10:00:00'), low: 99, close: 104 });
    // Much older than anything open or last closed: not in any candle.
    aggregator.apply(tick('2025-10-29T09:58:00', 90, 1250));
    expect(aggregator.lateTicks).toBe(1);
    expect(aggregator.current(738561, '1m')).toMatchObject({ low: 102, high: 102 });
  });

  it('never produces negative volume when a conflated snapshot repeats an older cumulative volume', () => {
    const { aggregator } = collect(['1m']);
    aggregator.apply(tick('2025-10-29T10:00:01', 100, 1000));
    aggregator.apply(tick('2025-10-29T10:00:02', 100, 1200));
    aggregator.apply(tick('2025-10-29T10:00:03', 100, 1100));
    aggregator.apply(tick('2025-10-29T10:00:04', 100, 1300));
    expect(aggregator.current(738561, '1m')!.volume).toBe(300);
  });
});
