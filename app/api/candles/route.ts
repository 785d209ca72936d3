/**
 * GET /api/candles?symbol=NSE:RELIANCE&timeframe=1h&from=<ISO>&to=<ISO>
 *
 * OHLCV candles of one instrument, oldest first.
 *
 * Query:
 * - `symbol` (required): "EXCHANGE:TRADINGSYMBOL", e.g. NSE:INFY, "NSE:NIFTY 50" (URL-encoded).
 * - `timeframe`: one of 1m 5m 15m 30m 1h 1d (default 1m).
 * - `from`, `to`: ISO 8601 date-times with offset; candles whose bucket start is in [from, to).
 *   Defaults: to = now, from = to − a window per timeframe (1m: 3 days … 1d: 1 year); when the
 *   instrument's newest candle is older than that window (a replayed past session, a long
 *   weekend), the default window ends at its newest candle instead.
 *   Range cap per timeframe (1m: 31 days … 1d: 20 years). At most the newest 5,000 candles.
 *
 * 200:
 * { "symbol": "NSE:RELIANCE", "timeframe": "1h", "from": "<ISO UTC>", "to": "<ISO UTC>",
 *   "candles": [{ "time": "<ISO bucket start, UTC>", "open": 2950.5, "high": …, "low": …,
 *                 "close": …, "volume": 120345, "oi": null }] }
 * Prices in rupees; volume in shares/contracts traded within the bucket; oi = last open
 * interest seen in the bucket (F&O) or null. Intraday buckets start at 09:15 IST + k × width,
 * daily buckets at 00:00 IST (i.e. 18:30Z of the previous day). 1d candles carry
 * `provisional`: true for a day bar rolled up from live 1m candles, false once the broker's
 * official day candle (NSE closing price, full-day volume) has replaced it after the close.
 *
 * Gaps (docs/storage.md): the 1m candles of the range (up to 92 days) are checked against the
 * NSE calendar; with a broker history source (HISTORY_SOURCE) missing minutes are fetched,
 * stored and the aggregates refreshed before reading. `gaps` says what happened:
 * { "status": "checked" | "skipped" | "failed", "source": "kite" | null,
 *   "backfilled": [{ "from", "to", "minutes" }], "missing": [{ "from", "to", "minutes" }] }.
 *
 * Errors: 400 invalid_request ("symbol: required", "timeframe: expected one of …",
 * "from: must be before to", "from: range too long …"); 404 not_found
 * ("Unknown symbol NSE:XYZ"); 500 internal.
 */
import { ApiError, jsonRoute } from '@/lib/api/errors';
import { configuredCalendar } from '@/lib/config/history-env';
import { getHistorySource, getHostRuntime } from '@/lib/runtime/host';
import { fillCandleGaps } from '@/worker/backfill/candle-gaps';
import { historySourceFromEnvironment } from '@/worker/backfill/source';
import { candlesQuerySchema } from '@/lib/api/schemas';
import { getDatabase } from '@/lib/db/runtime';
import { getCandles, getLatestCandleTime } from '@/lib/db/queries/candles';
import { findInstrument } from '@/lib/db/queries/instruments';
import { symbolOf } from '@/lib/market/tick';
import { TIMEFRAME_MS } from '@/lib/market/timeframes';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(candlesQuerySchema, async (query) => {
  const db = await getDatabase();
  const instrument = await findInstrument(db, query.exchange, query.tradingsymbol);
  if (!instrument) throw new ApiError(404, 'not_found', `Unknown symbol ${query.symbol}`);
  let { from, to } = query;
  if (query.defaultWindow) {
    const latest = await getLatestCandleTime(db, instrument.instrumentToken);
    if (latest && latest < from) {
      const width = to.getTime() - from.getTime();
      to = new Date(latest.getTime() + TIMEFRAME_MS[query.timeframe]);
      from = new Date(to.getTime() - width);
    }
  }
  // Embedded: the host's source (or none). Server mode (no host in this process): our own from HISTORY_SOURCE.
  const history = getHostRuntime() ? (getHistorySource() ?? null) : historySourceFromEnvironment();
  const gaps = await fillCandleGaps(db, history, instrument, { from, to, calendar: configuredCalendar() });
  const candles = await getCandles(db, { instrumentToken: instrument.instrumentToken, timeframe: query.timeframe, from, to });
  return {
    symbol: symbolOf(instrument),
    timeframe: query.timeframe,
    from: from.toISOString(),
    to: to.toISOString(),
    candles: candles.map((candle) => ({
      time: candle.bucket.toISOString(),
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
      volume: candle.volume,
      oi: candle.oi,
      ...(candle.provisional === undefined ? {} : { provisional: candle.provisional }),
    })),
    gaps,
  };
});
