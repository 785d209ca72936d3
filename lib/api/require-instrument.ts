/** The instrument named by a parsed `symbol` parameter, or a 404 ApiError ("Unknown symbol …"). */
import type { Database } from '@/lib/db/client';
import { findInstrument } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { ApiError } from './errors';

export async function requireInstrument(db: Database, symbol: { symbol: string; exchange: string; tradingsymbol: string }): Promise<Instrument> {
  const instrument = await findInstrument(db, symbol.exchange, symbol.tradingsymbol);
  if (!instrument) throw new ApiError(404, 'not_found', `Unknown symbol ${symbol.symbol}`);
  return instrument;
}
