/**
 * Study series over a run of candles: the engines (lib/indicators/engines.ts) fed every candle
 * in order, one point per candle from `fromMs` on (earlier candles are the warm-up).
 *
 *   computeStudySeries(spec, candles, fromMs) → [{ time: ISO UTC, value }]          SMA, EMA, VWAP, RSI
 *                                             → [{ time, macd, signal, histogram }]  MACD
 *                                             → [{ time, upper, middle, lower }]     Bollinger
 *
 * A point whose study is not defined yet has null fields. Pure; used by the route and tests.
 */
import { createStudyEngine, type StudyBar, type StudyValue } from './engines';
import type { StudySpec } from './study-spec';

export type LinePoint = { time: string; value: number | null };
export type MacdPoint = { time: string; macd: number | null; signal: number | null; histogram: number | null };
export type BandsPoint = { time: string; upper: number | null; middle: number | null; lower: number | null };
export type StudyPoint = LinePoint | MacdPoint | BandsPoint;

/** The point of one candle: `time` ISO UTC plus the study's fields (null while undefined). */
export function toStudyPoint(spec: StudySpec, time: string, value: StudyValue | null): StudyPoint {
  if (spec.kind === 'macd') {
    const v = value as { macd: number; signal: number; histogram: number } | null;
    return { time, macd: v?.macd ?? null, signal: v?.signal ?? null, histogram: v?.histogram ?? null };
  }
  if (spec.kind === 'bb') {
    const v = value as { upper: number; middle: number; lower: number } | null;
    return { time, upper: v?.upper ?? null, middle: v?.middle ?? null, lower: v?.lower ?? null };
  }
  return { time, value: (value as { value: number } | null)?.value ?? null };
}

/**
 * Feed `candles` (bucket order, epoch ms UTC) to a fresh engine of `spec`; return the points of
 * the candles with bucket ≥ `fromMs`.
 */
export function computeStudySeries(spec: StudySpec, candles: readonly StudyBar[], fromMs: number): StudyPoint[] {
  const engine = createStudyEngine(spec);
  const points: StudyPoint[] = [];
  for (const candle of candles) {
    engine.update(candle, false);
    if (candle.bucket >= fromMs) points.push(toStudyPoint(spec, new Date(candle.bucket).toISOString(), engine.value()));
  }
  return points;
}
