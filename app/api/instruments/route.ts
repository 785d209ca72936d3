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
import { jsonRoute } from '@/lib/api/errors';
import { instrumentsQuerySchema } from '@/lib/api/schemas';
import { getDatabase } from '@/lib/db/runtime';
import { searchInstruments } from '@/lib/db/queries/instruments';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(instrumentsQuerySchema, async ({ q, limit }) => {
  const db = await getDatabase();
  const instruments = await searchInstruments(db, q, limit);
  return {
    instruments: instruments.map((instrument) => ({
      instrument_token: instrument.instrumentToken,
      exchange: instrument.exchange,
      tradingsymbol: instrument.tradingsymbol,
      name: instrument.name,
      segment: instrument.segment,
      instrument_type: instrument.instrumentType,
    })),
  };
});
