/**
 * The broker history source from configuration (lib/config/history-env.ts): Kite when
 * HISTORY_SOURCE=kite, Fyers (fyersModel.getHistory) when HISTORY_SOURCE=fyers, else none.
 * No process cache: the worker's composition (worker/composition.ts) builds one per process, so
 * one rate limiter paces gap repair and official day candles together; the backfill CLI builds its own.
 */
import type { HistoryEnv } from '@/lib/config/history-env';
import type { HistoricalCandleSource } from '../sources/historical';
import { FyersHistoricalSource } from '../sources/fyers/history';
import { KiteHistoricalSource } from '../sources/kite/historical';

/** The configured source, or null (HISTORY_SOURCE=none). */
export function createHistorySource(env: HistoryEnv): HistoricalCandleSource | null {
  if (env.HISTORY_SOURCE === 'kite') {
    return new KiteHistoricalSource({ apiKey: env.KITE_API_KEY!, accessToken: env.KITE_ACCESS_TOKEN!, root: env.KITE_API_ROOT });
  }
  if (env.HISTORY_SOURCE === 'fyers') {
    return new FyersHistoricalSource({ appId: env.FYERS_APP_ID!, accessToken: env.FYERS_ACCESS_TOKEN!, root: env.FYERS_DATA_ROOT });
  }
  return null;
}
