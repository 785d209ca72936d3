/**
 * GET /api/intraday/vwap?symbol=NFO:NIFTY25DECFUT[&date=2025-12-29]
 *
 * Day VWAP of one session: from stored ticks (Σ Δcumulative volume × LTP / Σ Δvolume), the
 * exchange's own average traded price on the last tick where the feed sends it (Kite
 * average_traded_price), and from 1m candles (typical price × volume) for days whose ticks
 * have been dropped by retention.
 * 200: { "symbol", "vwap": { "date", "vwapFromTicks", "exchangeAveragePrice", "vwapFromCandles", "volume" } | null }
 * Errors: 400 invalid_request, 404 not_found, 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { getDayVwap, resolveSessionDate } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getDayVwap, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const date = await resolveSessionDate(db, instrument.instrumentToken, query.date);
  return { symbol: symbolOf(instrument), vwap: date ? await getDayVwap(db, instrument.instrumentToken, date) : null };
});
