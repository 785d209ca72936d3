/**
 * GET /api/intraday/today?symbol=NSE:INFY&timeframe=5m[&date=2025-12-29]
 *
 * All candles of one session (IST date; default: the instrument's latest session), oldest first.
 * 200: { "symbol", "date": "2025-12-29", "timeframe": "5m", "candles": [{ "time", "open", "high", "low", "close", "volume", "oi" }] }
 * Errors: 400 invalid_request, 404 not_found, 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { toApiCandle } from '@/lib/contracts/candle';
import { getCandles } from '@/lib/db/queries/candles';
import { resolveSessionDate } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { DAY_MS, istDateStart } from '@/lib/market/session';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getSessionCandles, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const date = await resolveSessionDate(db, instrument.instrumentToken, query.date);
  const from = date ? istDateStart(date) : 0;
  const candles = date
    ? await getCandles(db, { instrumentToken: instrument.instrumentToken, timeframe: query.timeframe, from: new Date(from), to: new Date(from + DAY_MS) })
    : [];
  return {
    symbol: symbolOf(instrument),
    date,
    timeframe: query.timeframe,
    candles: candles.map((c) => toApiCandle({ ...c, provisional: undefined })),
  };
});
