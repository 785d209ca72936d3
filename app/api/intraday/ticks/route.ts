/**
 * GET /api/intraday/ticks?symbol=NSE:INFY&from=<ISO>&to=<ISO>&limit=1000[&cursor=<from the previous page>]
 *
 * Raw stored ticks in [from, to) (at most 1 day; default the last hour), oldest first, paged:
 * pass `nextCursor` back as `cursor` until it is null.
 * 200: { "symbol", "from", "to", "ticks": [{ "time", "ltp", "lastQuantity", "volume", "averagePrice", "oi",
 *        "bidPrice", "bidQuantity", "askPrice", "askQuantity" }], "nextCursor": "1669607400000:3" | null }
 * Errors: 400 invalid_request (field named), 404 not_found, 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { getTicksPage } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getTicks, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const page = await getTicksPage(db, { instrumentToken: instrument.instrumentToken, from: query.from, to: query.to, limit: query.limit, cursor: query.cursor });
  return { symbol: symbolOf(instrument), from: query.from.toISOString(), to: query.to.toISOString(), ...page };
});
