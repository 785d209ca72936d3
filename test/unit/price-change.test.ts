/**
 * The one definition of change (lib/market/change.ts) and the "last tick" time display
 * (components/format.ts): change against the previous close, null when it is unknown.
 */
import { describe, expect, it } from 'vitest';
import { formatCompactVolume, formatTickTime } from '@/components/format';
import { changeDirection, knownPreviousClose, priceChange } from '@/lib/market/change';
import { parseIstLocal } from '@/lib/market/session';

describe('priceChange', () => {
  it('is ltp − previous close, in rupees and percent of the previous close', () => {
    expect(priceChange(1030, 1000)).toEqual({ change: 30, changePct: 3 });
    const down = priceChange(18_758.35, 18_795.15);
    expect(down.change).toBeCloseTo(-36.8, 10);
    expect(down.changePct).toBeCloseTo((-36.8 / 18_795.15) * 100, 10);
    expect(priceChange(1000, 1000)).toEqual({ change: 0, changePct: 0 });
  });

  it('is null (never computed another way) when the previous close is unknown', () => {
    expect(priceChange(1030, null)).toEqual({ change: null, changePct: null });
    expect(priceChange(1030, undefined)).toEqual({ change: null, changePct: null });
    expect(priceChange(1030, 0)).toEqual({ change: null, changePct: null });
    expect(priceChange(1030, Number.NaN)).toEqual({ change: null, changePct: null });
    expect(priceChange(null, 1000)).toEqual({ change: null, changePct: null });
  });

  it('classifies changes for breadth and colours; unknown is neither advance nor decline', () => {
    expect(changeDirection(priceChange(1030, 1000).change)).toBe(1);
    expect(changeDirection(priceChange(990, 1000).change)).toBe(-1);
    expect(changeDirection(priceChange(1000, 1000).change)).toBe(0);
    expect(changeDirection(priceChange(1000, null).change)).toBeNull();
    expect(knownPreviousClose(-5)).toBeNull();
    expect(knownPreviousClose(12.5)).toBe(12.5);
  });
});

describe('formatTickTime', () => {
  const tick = parseIstLocal('2022-11-30 15:29:59');
  it('shows only the time on the same IST day', () => {
    expect(formatTickTime(tick, parseIstLocal('2022-11-30 23:59:00'))).toBe('15:29:59');
  });
  it('shows the date when the tick is not from today (IST)', () => {
    expect(formatTickTime(tick, parseIstLocal('2026-03-10 10:00:00'))).toBe('30 Nov 2022 15:29:59');
    // 00:10 IST the next day is still 18:40 UTC of the 30th: the IST date decides.
    expect(formatTickTime(tick, parseIstLocal('2022-12-01 00:10:00'))).toBe('30 Nov 2022 15:29:59');
    expect(formatTickTime(null, tick)).toBe('—');
  });
});

describe('formatCompactVolume', () => {
  it('gives Indian units with two decimals so columns line up', () => {
    expect([999, 12_500, 940_000, 6_900_000, 12_000_000, -250_000].map(formatCompactVolume)).toEqual(['999', '12.50K', '9.40L', '69.00L', '1.20Cr', '-2.50L']);
    expect(formatCompactVolume(null)).toBe('—');
  });
});
