/**
 * What GET /api/candles and GET /api/indicators share about which candles a query answers:
 * `answerWindow` gives the [from, to) of a query and the memory read that answers it (the
 * worker's CandleCache through the gateway; null when no worker answers, and the database then
 * answers everything). An explicit range stands. The default window (no `from`, no `to`:
 * lib/contracts/candle.ts DEFAULT_CANDLE_WINDOW_MS, 1m: 3 days back from now) moves back to the
 * instrument's newest stored candle only when it holds no candle, neither in memory nor stored
 * (a replayed past session, a long weekend); the memory it read for that check is reused, not
 * asked of the worker again.
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
const recentCandles: MemoryRead = async (range) => {
  try {
    return await workerGateway().recentCandles(range);
  } catch {
    return null;
  }
};

/** `read` for readCandles, which asks with Date ranges. */
export const datedRead =
  (read: MemoryRead) =>
  (range: CandleRange): Promise<RecentCandlesAnswer | null> =>
    read({ instrumentToken: range.instrumentToken, timeframe: range.timeframe, from: range.from.getTime(), to: range.to.getTime() });

/** The window of a query, and the memory read to answer it with. */
export interface AnswerWindow {
  from: Date;
  to: Date;
  /**
   * recentCandles, except that the exact range the default-window check already read is
   * answered from that read, not asked of the worker a second time.
   */
  recent: MemoryRead;
}

/**
 * The [from, to) that a candles-shaped query answers (see the module comment). The database
 * lookup of the newest stored candle runs under the heavy-route limit (429 when saturated).
 */
export async function answerWindow(
  db: Database,
  instrumentToken: number,
  query: { from: Date; to: Date; defaultWindow: boolean; timeframe: Timeframe },
): Promise<AnswerWindow> {
  if (!query.defaultWindow) return { from: query.from, to: query.to, recent: recentCandles };
  const range = { instrumentToken, timeframe: query.timeframe, from: query.from.getTime(), to: query.to.getTime() };
  const memory = await recentCandles(range);
  if (!memory || memory.candles.length === 0) return { ...(await runHeavy(() => resolveCandleWindow(db, instrumentToken, query))), recent: recentCandles };
  const recent: MemoryRead = (r) =>
    r.instrumentToken === range.instrumentToken && r.timeframe === range.timeframe && r.from === range.from && r.to === range.to ? Promise.resolve(memory) : recentCandles(r);
  return { from: query.from, to: query.to, recent };
}
