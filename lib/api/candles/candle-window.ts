/**
 * What GET /api/candles and GET /api/indicators share about which candles a query answers:
 * - `recentCandles`: the worker's memory candles (CandleCache through the gateway) for a range,
 *   or null when no worker answers (the database then answers everything);
 * - `answerWindow`: the [from, to) of a query. An explicit range stands. The default window
 *   (no `from`, no `to`: lib/contracts/candle.ts DEFAULT_CANDLE_WINDOW_MS, 1m: 3 days back from
 *   now) moves back to the instrument's newest stored candle only when it holds no candle,
 *   neither in memory nor stored (a replayed past session, a long weekend).
 * Epoch ms UTC in memory ranges; Dates in the window. Errors: database errors propagate.
 */
import type { Database } from '@/lib/db/client';
import { resolveCandleWindow } from '@/lib/db/queries/candles';
import { workerGateway } from '@/lib/gateway';
import type { Timeframe } from '@/lib/market/timeframes';
import { runHeavy } from '@/lib/security/heavy-routes';
import type { CandleRange, RecentCandlesAnswer } from './candle-reader';
import type { MemoryRead } from './candle-response';

/** The worker's memory candles, or null when no worker is reachable (the database answers). */
export const recentCandles: MemoryRead = async (range) => {
  try {
    return await workerGateway().recentCandles(range);
  } catch {
    return null;
  }
};

/** `recentCandles` for readCandles (Date ranges). */
export const recentCandlesOf = (range: CandleRange): Promise<RecentCandlesAnswer | null> =>
  recentCandles({ instrumentToken: range.instrumentToken, timeframe: range.timeframe, from: range.from.getTime(), to: range.to.getTime() });

/**
 * The [from, to) that a candles-shaped query answers (see the module comment). The database
 * lookup of the newest stored candle runs under the heavy-route limit (429 when saturated).
 */
export async function answerWindow(
  db: Database,
  instrumentToken: number,
  query: { from: Date; to: Date; defaultWindow: boolean; timeframe: Timeframe },
): Promise<{ from: Date; to: Date }> {
  if (!query.defaultWindow) return { from: query.from, to: query.to };
  const memory = await recentCandles({ instrumentToken, timeframe: query.timeframe, from: query.from.getTime(), to: query.to.getTime() });
  if (memory && memory.candles.length > 0) return { from: query.from, to: query.to };
  return runHeavy(() => resolveCandleWindow(db, instrumentToken, query));
}
