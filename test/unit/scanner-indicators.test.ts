/**
 * The scanner's indicators (trading-signals, streaming) against independently computed values:
 * hand-written textbook formulas below, and Wilder's RSI on the StockCharts worked example.
 */
import { describe, expect, it } from 'vitest';
import { crossOf, IndicatorSet } from '@/worker/scanner/indicator-set';
import { bollingerRef, emaRef as ema, macdRef, rsiRef, smaRef as sma } from '../support/study-references';

// Independent references (textbook formulas written from scratch): test/support/study-references.ts.

/** Deterministic price path: drift, a cycle and LCG noise (rupees, 2 decimals). */
function pricePath(length: number, seed = 7): number[] {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const out: number[] = [];
  let p = 1500;
  for (let i = 0; i < length; i += 1) {
    p = p * (1 + 0.004 * Math.sin(i / 9) + 0.01 * rand());
    out.push(Math.round(p * 100) / 100);
  }
  return out;
}

const feed = (prices: number[]) => {
  const set = new IndicatorSet(20);
  const snapshots = prices.map((close) => {
    set.close({ high: close + 1, low: close - 1, close });
    return set.values();
  });
  return { set, snapshots };
};

describe('scanner indicators vs independent references', () => {
  const prices = pricePath(150);
  const { snapshots } = feed(prices);

  it("RSI(14) matches Wilder's formula at every candle", () => {
    const ref = rsiRef(prices, 14);
    snapshots.forEach((v, i) => {
      if (ref[i] === null) expect(v.rsi).toBeNull();
      else expect(v.rsi).toBeCloseTo(ref[i]!, 9);
    });
    expect(snapshots.filter((v) => v.rsi !== null)).toHaveLength(150 - 14);
  });

  it("RSI(14) reproduces StockCharts' published worked example", () => {
    // StockCharts ChartSchool "RSI" spreadsheet (Wilder's smoothing, closes to 4 decimals), first 14-period values.
    const example = [
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
      46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439,
    ];
    const published = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97];
    const values = feed(example).snapshots.slice(14).map((v) => v.rsi);
    values.forEach((rsi, i) => expect(rsi).toBeCloseTo(published[i], 2));
    expect(rsiRef(example, 14).slice(14).map((x) => Math.round(x! * 100) / 100)).toEqual(published);
  });

  it('MACD(12,26,9) matches EMA arithmetic once the signal line has 9 inputs', () => {
    const ref = macdRef(prices, 12, 26, 9);
    snapshots.forEach((v, i) => {
      if (ref[i] === null) expect(v.macd).toBeNull();
      else {
        expect(v.macd!.macd).toBeCloseTo(ref[i]!.macd, 9);
        expect(v.macd!.signal).toBeCloseTo(ref[i]!.signal, 9);
        expect(v.macd!.histogram).toBeCloseTo(ref[i]!.histogram, 9);
      }
    });
    expect(snapshots[33].macd).not.toBeNull();
  });

  it('Bollinger Bands(20, 2) match mean ± 2 population standard deviations', () => {
    const ref = bollingerRef(prices, 20, 2);
    snapshots.forEach((v, i) => {
      if (ref[i] === null) expect(v.bollinger).toBeNull();
      else {
        expect(v.bollinger!.middle).toBeCloseTo(ref[i]!.middle, 9);
        expect(v.bollinger!.upper).toBeCloseTo(ref[i]!.upper, 9);
        expect(v.bollinger!.lower).toBeCloseTo(ref[i]!.lower, 9);
      }
    });
  });

  it('SMA(20), SMA(50), EMA(9), EMA(21) match their definitions', () => {
    const refs = { sma20: sma(prices, 20), sma50: sma(prices, 50), ema9: ema(prices, 9), ema21: ema(prices, 21) };
    for (const key of ['sma20', 'sma50', 'ema9', 'ema21'] as const) {
      snapshots.forEach((v, i) => {
        if (refs[key][i] === null) expect(v[key]).toBeNull();
        else expect(v[key]).toBeCloseTo(refs[key][i]!, 9);
      });
    }
  });

  it('a live (open candle) price gives the same values as if it were the next close, however often it changes', () => {
    const base = prices.slice(0, 100);
    const { set } = feed(base);
    for (const live of [1490.5, 1612.25, 1533.1]) set.setLive(live);
    const { snapshots: fresh } = feed([...base, 1533.1]);
    expect(set.values()).toEqual(fresh[fresh.length - 1]);
    // Closing the candle at another price replaces the provisional input.
    set.close({ high: 1540, low: 1500, close: 1520 });
    const { snapshots: closed } = feed([...base, 1520]);
    expect(set.values()).toEqual(closed[closed.length - 1]);
    expect(set.closedCount).toBe(101);
  });

  it('the N-candle range covers the previous 20 closed candles only', () => {
    const { set } = feed(prices.slice(0, 40));
    const window = prices.slice(20, 40);
    expect(set.range()).toEqual({ high: Math.max(...window) + 1, low: Math.min(...window) - 1 });
    expect(feed(prices.slice(0, 19)).set.range()).toBeNull();
  });

  it('detects crosses from the sign change of a difference', () => {
    expect(crossOf(-0.5, 0.2)).toBe('bullish');
    expect(crossOf(0.3, -0.1)).toBe('bearish');
    expect(crossOf(0.3, 0.1)).toBeNull();
    expect(crossOf(null, 0.1)).toBeNull();
  });

  it('reports a MACD bullish cross when the live price lifts the histogram through zero', () => {
    // A steady decline (MACD below its signal), then a sharp jump on the open candle.
    const falling = Array.from({ length: 60 }, (_, i) => 1000 - i * 2);
    const { set } = feed(falling);
    expect(set.values().macd!.histogram).toBeLessThanOrEqual(0);
    set.setLive(1100);
    expect(set.values().macd!.histogram).toBeGreaterThan(0);
    expect(set.crosses().macd).toBe('bullish');
    expect(set.crosses().ema).toBe('bullish');
  });
});
