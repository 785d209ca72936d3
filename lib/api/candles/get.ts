/**
 * GET /api/candles?symbol=NSE:RELIANCE&timeframe=1h&from=<ISO>&to=<ISO> — the handler, wrapped by
 * route() in app/api/candles/route.ts (Next.js) and in worker/host-listener.ts, which answers
 * this hot read before Next.js in `npm start` (Next adds ~1 ms of CPU per request).
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
 * Gaps (docs/storage.md): for ranges up to 92 days the 1m candles are checked against the
 * instrument's session calendar (lib/market/sessions.ts), on the days it has data, from the
 * database only: a read never calls the broker. `gaps` says what is missing:
 * { "status": "checked" | "skipped", "missing": [{ "from", "to", "minutes" }] } (partial 1m
 * candles count as missing). With HISTORY_SOURCE set, the worker's gap repair fills them by itself
 * (worker/backfill/gap-repairer.ts; progress in GET /api/health → worker.gapRepair).
 *
 * Memory first (issue 12 point 3; candle-response.ts, candle-reader.ts): candles the worker holds
 * (its ring of recent closed candles and the open candle, through the worker gateway) answer the
 * recent part; the database only the range before it, and those rows and the stored gap minutes
 * are cached until the worker says the instrument's stored candles changed (gap repair, imports,
 * official day bars; at most CANDLE_STORED_TTL_MS, default 10 s, for writers outside the worker).
 * The memory is read on every request, so the open candle is always current. Identical
 * concurrent requests share one execution; only database work takes a slot of the heavy-route
 * limit (429 when saturated), reads served from memory and the caches never do. The instrument
 * lookup is cached for CANDLE_INSTRUMENT_TTL_MS (60 s). Caching: every 200 carries a weak `ETag`
 * (hash of the body) and a request with a matching `If-None-Match` gets 304 without a body;
 * a closed range (`to` at least one bucket in the past) is `Cache-Control: private, max-age=60`
 * (stored candles can still be amended or repaired), anything else `no-cache`.
 *
 * Errors: 400 invalid_request ("symbol: required", "timeframe: expected one of …",
 * "from: must be before to", "from: range too long …"); 404 not_found
 * ("Unknown symbol NSE:XYZ"); 429 too_many_requests (Retry-After: 1) when a read needs the
 * database and the heavy-route limit is full; 500 internal.
 */
import { api } from '@/lib/contracts/api';
import { configuredSessions } from '@/lib/config/history-env';
import { getDatabase } from '@/lib/db/runtime';
import { bytesResponse } from '@/lib/http/bytes-response';
import type { RouteInput } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';
import { TIMEFRAME_MS } from '@/lib/market/timeframes';
import { candleResponse } from './candle-response';
import { answerWindow } from './candle-window';
import { cachedInstrument } from './instrument-cache';

/** The handler of api.getCandles (lib/contracts/api.ts): validated query in, Response out. */
export async function getCandlesHandler({ query, request }: RouteInput<typeof api.getCandles>): Promise<Response> {
  const db = await getDatabase();
  const instrument = await cachedInstrument(db, query);
  const { from, to, recent } = await answerWindow(db, instrument.instrumentToken, query);
  const { body, etag } = await candleResponse(
    db,
    {
      instrumentToken: instrument.instrumentToken,
      symbol: symbolOf(instrument),
      timeframe: query.timeframe,
      from,
      to,
      calendar: configuredSessions().calendarFor(instrument),
    },
    recent,
  );
  const closed = to.getTime() <= Date.now() - TIMEFRAME_MS[query.timeframe];
  const headers = { etag, 'cache-control': closed ? 'private, max-age=60' : 'no-cache' };
  const match = request.headers.get('if-none-match');
  if (match && match.split(',').some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers });
  return bytesResponse(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
}
