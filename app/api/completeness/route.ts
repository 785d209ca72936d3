/**
 * GET /api/completeness?symbol=NSE:NIFTY%2050&date=2022-11-28
 *
 * Share of the expected session buckets of one IST date that have a candle, per timeframe
 * (1m against the NSE session minutes of that date, 5m…1h against the buckets those minutes
 * fall in, 1d one candle). A holiday or weekend expects nothing (`tradingDay: false`, ratio 1).
 * `date` defaults to today (IST).
 *
 * 200: { "symbol", "date", "tradingDay": true, "closedReason": null,
 *        "timeframes": [{ "timeframe": "1m", "expected": 375, "present": 360, "ratio": 0.96 }, …] }
 * Errors: 400 invalid_request (field named), 404 not_found (unknown symbol), 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { configuredCalendar } from '@/lib/config/history-env';
import { getCompleteness } from '@/lib/db/queries/gaps';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { istDateStart } from '@/lib/market/session';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getCompleteness, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const calendar = configuredCalendar();
  const dayStart = istDateStart(query.date);
  const timeframes = await getCompleteness(db, { instrumentToken: instrument.instrumentToken, date: query.date, calendar });
  return {
    symbol: symbolOf(instrument),
    date: query.date,
    tradingDay: calendar.isTradingDay(dayStart),
    closedReason: calendar.isTradingDay(dayStart) ? null : calendar.closedReason(dayStart),
    timeframes: timeframes.map((t) => ({ ...t, ratio: Math.round(t.ratio * 10_000) / 10_000 })),
  };
});
