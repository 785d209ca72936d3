/**
 * Scanner rows and ranking: day statistics, volume ratio for the same time of day, presets,
 * and the opportunity score formula.
 */
import { describe, expect, it } from 'vitest';
import { parseIstLocal } from '@/lib/market/session';
import type { ScannerRow } from '@/lib/market/scanner';
import type { Tick } from '@/lib/market/tick';
import { InstrumentScanState, type HistoryCandle } from '@/worker/scanner/instrument-state';
import { applyPreset } from '@/worker/scanner/presets';
import { opportunityScore } from '@/worker/scanner/score';
import { VolumeProfile } from '@/worker/scanner/volume-profile';
import { makeTick } from '../support/ticks';

const DAY = parseIstLocal('2026-03-10 00:00:00');
const at = (hhmm: string) => parseIstLocal(`2026-03-10 ${hhmm}:00`);

let nextToken = 1000;
function tick(symbol: string, time: number, ltp: number, volume: number, extra: Partial<Tick> = {}): Tick {
  return makeTick({ tradingsymbol: symbol, exchangeTime: time, ltp, volume, ...extra });
}

/** 60 previous daily candles around `close`, the last one closing at `close`. */
function dailyHistory(close: number): HistoryCandle[] {
  return Array.from({ length: 60 }, (_, i) => {
    const c = close * (1 + 0.002 * Math.sin(i));
    const last = i === 59;
    return { bucket: DAY - (60 - i) * 86_400_000, open: c, high: c * 1.01, low: c * 0.99, close: last ? close : c, volume: 375_000 };
  });
}

/** A usual day: 1,000 shares in every minute 09:15–15:29 IST. */
const flatProfile = () => new VolumeProfile(new Map(Array.from({ length: 375 }, (_, i) => [555 + i, 20 * 1000])), 20);

function state(symbol: string, first: Tick, prevClose: number, profile: VolumeProfile | null = flatProfile()) {
  const s = new InstrumentScanState(nextToken++, first.exchange, symbol, first);
  s.warmStart({ candles: { '1d': dailyHistory(prevClose) }, today: null, profile, prevClose });
  s.applyTick(first);
  return s;
}

describe('scanner rows', () => {
  it('computes day change, gap, VWAP distance and the 1d volume ratio for the same time of day', () => {
    const s = state('INFY', tick('INFY', at('09:15'), 1010, 500), 1000);
    s.applyTick(tick('INFY', at('09:20') + 30_000, 1030, 18_000));
    const row = s.row('1d', undefined);
    expect(row.prevClose).toBe(1000);
    expect(row.dayChangePct).toBeCloseTo(3, 10);
    expect(row.changePct).toBeCloseTo(3, 10);
    expect(row.gapPct).toBeCloseTo(1, 10);
    expect(row.dayOpen).toBe(1010);
    expect(row.dayHigh).toBe(1030);
    // By 09:20:30 a usual day has traded 6 minutes × 1,000 (the current minute counted whole).
    expect(row.volumeRatio).toBeCloseTo(18_000 / 6000, 10);
    // Own VWAP from volume deltas: 500 @ 1010 and 17,500 @ 1030.
    const vwap = (500 * 1010 + 17_500 * 1030) / 18_000;
    expect(row.vwap).toBeCloseTo(vwap, 10);
    expect(row.vwapDistancePct).toBeCloseTo(((1030 - vwap) / vwap) * 100, 10);
    // 60 daily closes of history: the daily indicators are valid at once.
    expect(row.rsi).not.toBeNull();
    expect(row.macd).not.toBeNull();
    expect(row.sma50).not.toBeNull();
    expect(row.rangeHigh).toBeGreaterThan(1000);
  });

  it("prefers the feed's previous close and rolls the day over at IST midnight (previous close unknown until reloaded)", () => {
    const s = state('TCS', tick('TCS', at('10:00'), 3000, 1000, { prevClose: 2950 }), 2900);
    expect(s.row('1d', undefined).prevClose).toBe(2950);
    // First seen at 10:00 without a stored candle of today: the real open (and so the gap) is unknown.
    expect(s.row('1d', undefined).gapPct).toBeNull();
    s.applyTick(tick('TCS', at('15:29'), 3100, 50_000));
    s.applyTick(tick('TCS', DAY + 86_400_000 + 9.25 * 3_600_000, 3120, 100));
    // Never yesterday's last tick or today's first price: unknown until the stored close is reloaded.
    expect(s.row('1d', undefined).prevClose).toBeNull();
    expect(s.row('1d', undefined).dayChange).toBeNull();
    expect(s.row('1d', undefined).dayChangePct).toBeNull();
    s.setStoredPrevClose(DAY, 1); // a reload for a day the instrument has left: ignored
    expect(s.row('1d', undefined).prevClose).toBeNull();
    s.setStoredPrevClose(DAY + 86_400_000, 3100);
    const row = s.row('1d', undefined);
    expect(row.prevClose).toBe(3100);
    expect(row.dayChange).toBeCloseTo(20, 10);
    expect(row.dayOpen).toBe(3120);
    expect(row.dayVolume).toBe(100);
    expect(s.profileStale).toBe(true);
  });

  it('flags an upward breakout above the previous 20 sessions', () => {
    const s = state('SBIN', tick('SBIN', at('09:30'), 1000, 100), 1000);
    const high = s.row('1d', undefined).rangeHigh!;
    s.applyTick(tick('SBIN', at('09:31'), high + 5, 200));
    expect(s.row('1d', undefined).breakout).toBe('up');
  });
});

describe('presets rank rows', () => {
  const build = () => {
    const rows: ScannerRow[] = [];
    const make = (symbol: string, ltp: number, volume: number, prev = 1000) => {
      const s = state(symbol, tick(symbol, at('11:00'), prev, 0), prev);
      s.applyTick(tick(symbol, at('11:05'), ltp, volume));
      rows.push(s.row('1d', undefined));
    };
    make('UP5', 1050, 60_000);
    make('UP2', 1020, 500_000);
    make('FLAT', 1000, 110_000);
    make('DOWN3', 970, 120_000);
    make('DOWN1', 990, 90_000);
    const index = state('NIFTY 50', tick('NIFTY 50', at('11:00'), 26000, 0), 25000);
    rows.push(index.row('1d', undefined));
    return rows;
  };

  it('top gainers / losers by % change, indices left out', () => {
    const rows = build();
    expect(applyPreset(rows, 'top_gainers', 10).map((r) => r.tradingsymbol)).toEqual(['UP5', 'UP2']);
    expect(applyPreset(rows, 'top_losers', 10).map((r) => r.tradingsymbol)).toEqual(['DOWN3', 'DOWN1']);
    expect(applyPreset(rows, 'top_gainers', 1).map((r) => r.tradingsymbol)).toEqual(['UP5']);
  });

  it('most active by traded value, unusual volume by ratio ≥ 2', () => {
    const rows = build();
    expect(applyPreset(rows, 'most_active', 3).map((r) => r.tradingsymbol)).toEqual(['UP2', 'DOWN3', 'FLAT']);
    // At 11:05 a usual day has traded 111 minutes × 1,000 = 111,000.
    const unusual = applyPreset(rows, 'unusual_volume', 10);
    expect(unusual.map((r) => r.tradingsymbol)).toEqual(['UP2']);
    expect(unusual[0].volumeRatio).toBeCloseTo(500_000 / 111_000, 10);
  });

  it('filters by exchange', () => {
    expect(applyPreset(build(), 'top_gainers', 10, 'NFO')).toEqual([]);
  });
});

describe('opportunity score', () => {
  it('follows the documented weights', () => {
    // Full marks everywhere in the bullish direction.
    expect(
      opportunityScore({ changePct: 6, volumeRatio: 6, macdHistogram: 1, emaDiff: 1, breakout: 'up', ltp: 110, bollinger: { upper: 105, lower: 95 }, rsi: 75 }),
    ).toEqual({ score: 100, bias: 'bullish' });
    // M = 0.5 (2.5%), V = 0.25 (ratio 2), T = 0.5 (MACD only), B = 0.5 (beyond the band), R = 0.5 (RSI 60).
    expect(
      opportunityScore({ changePct: 2.5, volumeRatio: 2, macdHistogram: 1, emaDiff: -1, breakout: null, ltp: 106, bollinger: { upper: 105, lower: 95 }, rsi: 60 }),
    ).toEqual({ score: Math.round(100 * (0.3 * 0.5 + 0.25 * 0.25 + 0.2 * 0.5 + 0.15 * 0.5 + 0.1 * 0.5)), bias: 'bullish' });
    // Bearish mirror: a down move with falling indicators scores the same as the up move.
    expect(
      opportunityScore({ changePct: -6, volumeRatio: 6, macdHistogram: -1, emaDiff: -1, breakout: 'down', ltp: 90, bollinger: { upper: 105, lower: 95 }, rsi: 25 }),
    ).toEqual({ score: 100, bias: 'bearish' });
    // Missing inputs count as zero.
    expect(
      opportunityScore({ changePct: null, volumeRatio: null, macdHistogram: null, emaDiff: null, breakout: null, ltp: 1, bollinger: null, rsi: null }),
    ).toEqual({ score: 0, bias: 'neutral' });
  });
});
