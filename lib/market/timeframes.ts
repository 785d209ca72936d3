/**
 * Candle timeframes supported end to end (aggregator, storage, API, chart).
 *
 * Intraday buckets are anchored at the 09:15 IST session open, as Kite's
 * historical candles are (1h: 09:15, 10:15, …, 15:15); see lib/market/session.ts.
 * The daily bucket starts at 00:00 IST, which is the timestamp Kite gives its day candles.
 */
export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '1d'] as const;

export type Timeframe = (typeof TIMEFRAMES)[number];

/** Length of each timeframe's bucket in milliseconds. */
export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '30m': 30 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

/** True when `value` names a supported timeframe. */
export function isTimeframe(value: string): value is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(value);
}
