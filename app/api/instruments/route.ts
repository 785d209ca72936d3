/**
 * GET /api/instruments?q=REL&limit=20
 *
 * Instruments whose tradingsymbol or name contains `q` (case-insensitive); exact and prefix
 * matches on tradingsymbol first.
 *
 * Query: `q` (required, 1–40 characters), `limit` (1–100, default 20).
 *
 * 200:
 * { "instruments": [{ "instrument_token": 738561, "exchange": "NSE", "tradingsymbol": "RELIANCE",
 *                     "name": "RELIANCE INDUSTRIES", "segment": "NSE", "instrument_type": "EQ" }] }
 * (`name`, `segment`, `instrument_type` may be null.)
 *
 * Errors: 400 invalid_request ("q: required", "q: at most 40 characters", "limit: …"); 500 internal.
 */
import { api } from '@/lib/contracts/api';
import { toApiInstrument } from '@/lib/contracts/instrument';
import { getDatabase } from '@/lib/db/runtime';
import { searchInstruments } from '@/lib/db/queries/instruments';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.searchInstruments, async ({ query: { q, limit } }) => ({
  instruments: (await searchInstruments(await getDatabase(), q, limit)).map(toApiInstrument),
}));
