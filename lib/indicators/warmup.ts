/**
 * How many candles before the first one shown a study needs so that its value equals a
 * computation over all stored candles (GET /api/indicators, docs/desk.md "Studies"):
 *
 * - SMA(n), Bollinger(n): n − 1 candles (a finite window): exact.
 * - EMA(n) (α = 2/(n+1)), Wilder's RSI(n) (α = 1/n), MACD: infinite memory; the weight of
 *   anything older than k candles is (1−α)^k, so k = ⌈ln(1e-12) / ln(1−α)⌉ makes the difference
 *   to a computation from the first stored candle at most 1e-12 × the price range: converged
 *   (EMA 50: 704 candles, RSI 14: 373, MACD 12/26/9: 373 + 129).
 * - VWAP: the session so far: every candle of the IST day (1m: up to 1,440).
 *
 * The total is capped at MAX_WARMUP_CANDLES (the 5,000-row read limit of getCandles).
 */
import { DAY_MS } from '@/lib/market/session';
import { TIMEFRAME_MS, type Timeframe } from '@/lib/market/timeframes';
import type { StudySpec } from './study-spec';

export const MAX_WARMUP_CANDLES = 5000;
const EPSILON = 1e-12;

/** Candles after which a weight decaying by (1 − alpha) per candle is below 1e-12. */
const decay = (alpha: number) => Math.ceil(Math.log(EPSILON) / Math.log(1 - alpha));

/** Warm-up candles of one study on `timeframe`. */
export function warmupCandles(spec: StudySpec, timeframe: Timeframe): number {
  switch (spec.kind) {
    case 'sma':
    case 'bb':
      return spec.period - 1;
    case 'ema':
      return spec.period + decay(2 / (spec.period + 1));
    case 'rsi':
      return spec.period + decay(1 / spec.period);
    case 'macd':
      return spec.slow + decay(2 / (spec.slow + 1)) + spec.signal + decay(2 / (spec.signal + 1));
    case 'vwap':
      return Math.ceil(DAY_MS / TIMEFRAME_MS[timeframe]);
  }
}

/** Warm-up of a set of studies (the largest), capped at MAX_WARMUP_CANDLES. */
export function warmupFor(specs: readonly StudySpec[], timeframe: Timeframe): number {
  return Math.min(MAX_WARMUP_CANDLES, Math.max(0, ...specs.map((s) => warmupCandles(s, timeframe))));
}
