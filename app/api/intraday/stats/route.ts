/**
 * GET /api/intraday/stats?symbol=NSE:INFY[&date=2025-12-29]
 *
 * Day statistics of one session from its 1m candles: open, high, low, close, previous close
 * (the last close before that date), change (rupees) and % change, volume.
 * 200: { "symbol", "stats": { "date", "open", "high", "low", "close", "previousClose", "change", "changePercent", "volume", "candles" } | null }
 * Errors: 400 invalid_request, 404 not_found, 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { getDayStats, resolveSessionDate } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getDayStats, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const date = await resolveSessionDate(db, instrument.instrumentToken, query.date);
  return { symbol: symbolOf(instrument), stats: date ? await getDayStats(db, instrument.instrumentToken, date) : null };
});
