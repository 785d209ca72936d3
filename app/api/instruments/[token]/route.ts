/**
 * GET /api/instruments/{token}: one instrument of the master by instrument_token.
 *
 * 200: { "instrument": { "instrument_token", "exchange", "tradingsymbol", "name", "segment",
 *        "instrument_type", "expiry", "strike", "lot_size", "tick_size" } }
 * Errors: 400 invalid_request (path.token); 404 not_found; 500 internal.
 */
import { api } from '@/lib/contracts/api';
import { toApiInstrument } from '@/lib/contracts/instrument';
import { getDatabase } from '@/lib/db/runtime';
import { findInstrumentByToken } from '@/lib/db/queries/instruments';
import { AppError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getInstrument, async ({ params }) => {
  const instrument = await findInstrumentByToken(await getDatabase(), params.token);
  if (!instrument) throw new AppError('not_found', `no instrument with token ${params.token}`);
  return { instrument: toApiInstrument(instrument) };
});
