/**
 * The candle chart's scale rules (components/chart/chart-scale.ts): Indian digit grouping on the
 * price axis and the initial view fitted to the loaded bars (issue 13 point 8).
 */
import { describe, expect, it } from 'vitest';
import { axisPrice, INDIAN_PRICE_FORMAT, INDIAN_QUANTITY_FORMAT, initialVisibleRange, MIN_VISIBLE_SLOTS, RIGHT_OFFSET_BARS } from '@/components/chart/chart-scale';

describe('chart scale', () => {
  it('formats axis prices like the header: en-IN grouping, two decimals', () => {
    expect(axisPrice(18758.35)).toBe('18,758.35');
    expect(axisPrice(100000)).toBe('1,00,000.00');
    expect(axisPrice(1601.6)).toBe('1,601.60');
    expect(INDIAN_PRICE_FORMAT).toMatchObject({ type: 'custom', minMove: 0.01 });
  });

  it('labels volume and OI in Indian units (K, lakh, crore), negative OI changes included', () => {
    const label = (q: number) => INDIAN_QUANTITY_FORMAT.formatter!(q as Parameters<NonNullable<typeof INDIAN_QUANTITY_FORMAT.formatter>>[0]);
    expect(label(950)).toBe('950');
    expect(label(12_500)).toBe('12.50K');
    expect(label(340_000)).toBe('3.40L');
    expect(label(12_000_000)).toBe('1.20Cr');
    expect(label(-210_000)).toBe('-2.10L');
    expect(INDIAN_QUANTITY_FORMAT).toMatchObject({ type: 'custom', minMove: 1 });
  });

  it('shows every loaded bar when they fit, so no part of the chart is left empty', () => {
    // 90 bars of 5m on a 1,000 px chart: all of them, from the first bar on.
    expect(initialVisibleRange(90, 1000)).toEqual({ from: -0.5, to: 89.5 + RIGHT_OFFSET_BARS });
  });

  it('shows the newest bars that fit at the minimum spacing when there are more', () => {
    const range = initialVisibleRange(1125, 1000)!;
    expect(range.to).toBe(1124.5 + RIGHT_OFFSET_BARS);
    const slots = range.to - range.from;
    expect(1000 / slots).toBeGreaterThanOrEqual(6);
    expect(1000 / slots).toBeLessThan(6.2);
    // a phone-width chart shows fewer
    expect(initialVisibleRange(1125, 340)!.from).toBeGreaterThan(range.from);
  });

  it('keeps a minimum number of slots for a handful of bars, and nothing for none', () => {
    const range = initialVisibleRange(3, 1000)!;
    expect(range.to - range.from).toBe(MIN_VISIBLE_SLOTS);
    expect(range.to).toBe(2.5 + RIGHT_OFFSET_BARS);
    expect(initialVisibleRange(0, 1000)).toBeNull();
  });
});
