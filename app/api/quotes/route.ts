/**
 * GET /api/quotes
 *
 * Latest stored quote of every instrument that ticked in the last 96 hours (so a weekend still
 * shows Friday's quotes), ordered by exchange then tradingsymbol. The home page's initial rows;
 * live updates then arrive over Socket.IO.
 *
 * 200:
 * { "quotes": [{ "instrument_token": 408065, "exchange": "NSE", "tradingsymbol": "INFY",
 *                "name": "INFOSYS", "time": "<ISO exchange time of the last tick, UTC>",
 *                "ltp": 1523.4, "volume": 1834521, "day_open": 1510.05 }] }
 * `ltp` and `day_open` (first traded price of the IST day among stored ticks) in rupees;
 * `volume` = cumulative day volume at the last tick (0 for indices).
 *
 * Errors: 500 internal.
 */
import { jsonRoute } from '@/lib/api/errors';
import { quotesQuerySchema } from '@/lib/api/schemas';
import { getDatabase } from '@/lib/db/runtime';
import { getLatestQuotes } from '@/lib/db/queries/quotes';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(quotesQuerySchema, async () => {
  const db = await getDatabase();
  const quotes = await getLatestQuotes(db);
  return {
    quotes: quotes.map((quote) => ({
      instrument_token: quote.instrumentToken,
      exchange: quote.exchange,
      tradingsymbol: quote.tradingsymbol,
      name: quote.name,
      time: new Date(quote.time).toISOString(),
      ltp: quote.ltp,
      volume: quote.volume,
      day_open: quote.dayOpen,
    })),
  };
});
