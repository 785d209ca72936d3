/**
 * GET /api/instruments?q=nifty fut&exchange=NFO&segment=NFO-OPT&type=CE&underlying=NIFTY&expiry=2025-12-30&strike_min=25000&strike_max=27000&limit=50&offset=0
 *
 * Search and browse the instruments master (lib/db/queries/instruments.ts): every parameter is
 * optional and they combine with AND. With `q`, every whitespace-separated term must occur in the
 * tradingsymbol or name or equal the instrument type, and results are ranked: exact symbol or
 * index alias ("banknifty" → NIFTY BANK), symbol prefix, then index, equity, future (nearest live
 * expiry first), option. Without `q`: by exchange, underlying, expiry, strike, symbol.
 *
 * 200: { "instruments": [{ "instrument_token", "exchange", "tradingsymbol", "name", "segment",
 *        "instrument_type", "expiry", "strike", "lot_size", "tick_size" }], "total": 62, "offset": 0 }
 *
 * Errors: 400 invalid_request (query.q, query.type, query.expiry, query.limit …); 500 internal.
 */
import { api } from '@/lib/contracts/api';
import { toApiInstrument } from '@/lib/contracts/instrument';
import { getDatabase } from '@/lib/db/runtime';
import { browseInstruments } from '@/lib/db/queries/instruments';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.searchInstruments, async ({ query }) => {
  const { instruments, total } = await browseInstruments(
    await getDatabase(),
    {
      q: query.q,
      exchange: query.exchange,
      segment: query.segment,
      instrumentType: query.type,
      underlying: query.underlying,
      expiry: query.expiry,
      strikeMin: query.strike_min,
      strikeMax: query.strike_max,
    },
    { limit: query.limit, offset: query.offset },
  );
  return { instruments: instruments.map(toApiInstrument), total, offset: query.offset };
});
