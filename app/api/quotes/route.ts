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
 *                "ltp": 1523.4, "volume": 1834521, "prev_close": 1510.05, "change": 13.35,
 *                "change_pct": 0.884 }] }
 * `ltp`, `prev_close` and `change` in rupees, `change_pct` in percent. `prev_close` is the
 * previous session's close before the IST day of the last tick (official day candle, else the
 * provisional roll-up; lib/db/queries/previous-close.ts); with none known `prev_close`,
 * `change` and `change_pct` are null. `volume` = cumulative day volume at the last tick (0 for
 * indices).
 *
 * Errors: 500 internal.
 */
import { api } from '@/lib/contracts/api';
import { toApiQuote } from '@/lib/contracts/quote';
import { getDatabase } from '@/lib/db/runtime';
import { getLatestQuotes } from '@/lib/db/queries/quotes';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getQuotes, async () => ({
  quotes: (await getLatestQuotes(await getDatabase())).map(toApiQuote),
}));
