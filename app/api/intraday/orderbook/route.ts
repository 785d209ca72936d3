/**
 * GET /api/intraday/orderbook?symbol=NFO:NIFTY25DECFUT
 *
 * The newest stored 5-level depth snapshot (from full-mode ticks), best level first.
 * 200: { "symbol", "orderBook": { "time", "bids": [{ "price", "quantity", "orders" }], "asks": [...] } | null }
 * Errors: 400 invalid_request, 404 not_found, 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { getLatestOrderBook } from '@/lib/db/queries/order-book';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { DAY_MS, istDateStart } from '@/lib/market/session';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getOrderBook, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const at = query.date ? new Date(istDateStart(query.date) + DAY_MS - 1) : undefined;
  const book = await getLatestOrderBook(db, instrument.instrumentToken, at);
  return { symbol: symbolOf(instrument), orderBook: book && { time: book.time.toISOString(), bids: book.bids, asks: book.asks } };
});
