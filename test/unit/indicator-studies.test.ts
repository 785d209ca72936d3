/**
 * The chart's studies (lib/indicators): each series against independent textbook computations
 * (test/support/study-references.ts), warm-up convergence, session-anchored VWAP, live replace,
 * and the study-id syntax of GET /api/indicators.
 */
import { describe, expect, it } from 'vitest';
import { createStudyEngine } from '@/lib/indicators/engines';
import { computeStudySeries, type StudyPoint } from '@/lib/indicators/series';
import { parseStudyId, studyId, type StudySpec } from '@/lib/indicators/study-spec';
import { warmupCandles } from '@/lib/indicators/warmup';
import { bollingerRef, emaRef, macdRef, rsiRef, smaRef, syntheticSessions, vwapRef } from '../support/study-references';

const candles = syntheticSessions('2025-11-03', 4); // 1,500 1m candles over 4 sessions
const closes = candles.map((c) => c.close);
const all = (spec: StudySpec) => computeStudySeries(spec, candles, 0);
const field = (points: StudyPoint[], key: string) => points.map((p) => (p as unknown as Record<string, number | null>)[key]);

function expectClose(actual: (number | null)[], expected: (number | null)[], digits = 9) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    if (expected[i] === null) expect(a, `index ${i}`).toBeNull();
    else expect(a, `index ${i}`).toBeCloseTo(expected[i]!, digits);
  });
}

describe('study series vs independent references', () => {
  it('one point per candle, time = bucket start ISO', () => {
    const points = all({ kind: 'sma', period: 20 });
    expect(points).toHaveLength(candles.length);
    expect(points[0].time).toBe(new Date(candles[0].bucket).toISOString());
    expect(points[0].time).toBe('2025-11-03T03:45:00.000Z');
  });

  it('SMA(20) and SMA(50)', () => {
    expectClose(field(all({ kind: 'sma', period: 20 }), 'value'), smaRef(closes, 20));
    expectClose(field(all({ kind: 'sma', period: 50 }), 'value'), smaRef(closes, 50));
  });

  it('EMA(9) and EMA(50)', () => {
    expectClose(field(all({ kind: 'ema', period: 9 }), 'value'), emaRef(closes, 9));
    expectClose(field(all({ kind: 'ema', period: 50 }), 'value'), emaRef(closes, 50));
  });

  it("RSI(14) and RSI(7), Wilder's smoothing", () => {
    expectClose(field(all({ kind: 'rsi', period: 14 }), 'value'), rsiRef(closes, 14));
    expectClose(field(all({ kind: 'rsi', period: 7 }), 'value'), rsiRef(closes, 7));
    expect(field(all({ kind: 'rsi', period: 14 }), 'value').filter((v) => v !== null)).toHaveLength(candles.length - 14);
  });

  it('MACD(12,26,9) and MACD(5,35,5)', () => {
    for (const [f, s, g] of [
      [12, 26, 9],
      [5, 35, 5],
    ]) {
      const points = all({ kind: 'macd', fast: f, slow: s, signal: g });
      const ref = macdRef(closes, f, s, g);
      for (const key of ['macd', 'signal', 'histogram'] as const) expectClose(field(points, key), ref.map((r) => r?.[key] ?? null));
    }
  });

  it('Bollinger(20, 2) and (10, 1.5)', () => {
    for (const [n, k] of [
      [20, 2],
      [10, 1.5],
    ]) {
      const points = all({ kind: 'bb', period: n, multiplier: k });
      const ref = bollingerRef(closes, n, k);
      for (const key of ['upper', 'middle', 'lower'] as const) expectClose(field(points, key), ref.map((r) => r?.[key] ?? null));
    }
  });

  it('VWAP anchored at each session (resets on the next IST day)', () => {
    const points = field(all({ kind: 'vwap' }), 'value');
    expectClose(points, vwapRef(candles));
    // The first candle of each session: VWAP = its typical price.
    const second = candles.findIndex((c, i) => i > 0 && c.bucket - candles[i - 1].bucket > 3_600_000);
    const c = candles[second];
    expect(points[second]).toBeCloseTo((c.high + c.low + c.close) / 3, 9);
  });

  it('VWAP without volume (an index) is null; a session whose volume starts later takes it from there', () => {
    const bars = candles.slice(0, 10).map((c, i) => ({ ...c, volume: i < 3 ? 0 : c.volume }));
    const points = field(computeStudySeries({ kind: 'vwap' }, bars, 0), 'value');
    expect(points.slice(0, 3)).toEqual([null, null, null]);
    expectClose(points, vwapRef(bars));
  });
});

describe('warm-up', () => {
  it('values from `from` on equal a computation over all candles (SMA/BB exact, EMA/RSI/MACD converged)', () => {
    const specs: StudySpec[] = [
      { kind: 'sma', period: 20 },
      { kind: 'ema', period: 50 },
      { kind: 'rsi', period: 14 },
      { kind: 'macd', fast: 12, slow: 26, signal: 9 },
      { kind: 'bb', period: 20, multiplier: 2 },
    ];
    const fromIndex = 1200;
    for (const spec of specs) {
      const full = all(spec).slice(fromIndex);
      const start = Math.max(0, fromIndex - warmupCandles(spec, '1m'));
      const warmed = computeStudySeries(spec, candles.slice(start), candles[fromIndex].bucket);
      expect(warmed).toHaveLength(full.length);
      for (const key of Object.keys(full[0]).filter((k) => k !== 'time')) {
        expectClose(field(warmed, key), field(full, key), 8);
      }
    }
  });

  it('warm-up lengths: finite windows n − 1, EMA(50) 704 candles, VWAP a day of buckets', () => {
    expect(warmupCandles({ kind: 'sma', period: 20 }, '1m')).toBe(19);
    expect(warmupCandles({ kind: 'ema', period: 50 }, '1m')).toBeGreaterThan(650);
    expect(warmupCandles({ kind: 'vwap' }, '5m')).toBe(288);
  });
});

describe('live updates (replace) equal a fresh computation', () => {
  it('each study: append then replace the open candle', () => {
    const specs: StudySpec[] = [{ kind: 'ema', period: 9 }, { kind: 'rsi', period: 14 }, { kind: 'macd', fast: 12, slow: 26, signal: 9 }, { kind: 'bb', period: 20, multiplier: 2 }, { kind: 'vwap' }];
    for (const spec of specs) {
      const engine = createStudyEngine(spec);
      const head = candles.slice(0, 100);
      head.forEach((c) => engine.update(c, false));
      const open = candles[100];
      engine.update({ ...open, close: open.close - 3, volume: 10 }, false);
      engine.update({ ...open, close: open.close + 2, volume: 50 }, true);
      engine.update(open, true);
      const fresh = computeStudySeries(spec, candles.slice(0, 101), 0).at(-1)!;
      const value = engine.value() as unknown as Record<string, number>;
      for (const [key, expected] of Object.entries(fresh).filter(([k]) => k !== 'time')) expect(value[key]).toBeCloseTo(expected as number, 9);
    }
  });
});

describe('study ids', () => {
  it('parses and canonicalises', () => {
    expect(parseStudyId('sma:20')).toEqual({ kind: 'sma', period: 20 });
    expect(parseStudyId('BB:20:2.5')).toEqual({ kind: 'bb', period: 20, multiplier: 2.5 });
    expect(parseStudyId('rsi')).toEqual({ kind: 'rsi', period: 14 });
    expect(studyId(parseStudyId('macd:12:26:9') as StudySpec)).toBe('macd:12:26:9');
  });

  it('rejects with a message naming the id', () => {
    expect(parseStudyId('rsi:0')).toBe('"rsi:0": period must be 1…500');
    expect(parseStudyId('foo:3')).toMatch(/^"foo:3": unknown study/);
    expect(parseStudyId('macd:26:12:9')).toMatch(/fast must be shorter than slow/);
    expect(parseStudyId('bb:20')).toMatch(/expected 2 parameters/);
    expect(parseStudyId('vwap:5')).toMatch(/expected 0 parameters/);
  });
});
