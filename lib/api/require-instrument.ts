/** The instrument named by a parsed `symbol` parameter, or a 404 AppError ("Unknown symbol …"). */
import type { ParsedSymbol } from '@/lib/contracts/common';
import type { Database } from '@/lib/db/client';
import { findInstrument } from '@/lib/db/queries/instruments';
import { AppError } from '@/lib/http/errors';
import type { Instrument } from '@/lib/market/instrument';

export async function requireInstrument(db: Database, symbol: ParsedSymbol): Promise<Instrument> {
  const instrument = await findInstrument(db, symbol.exchange, symbol.tradingsymbol);
  if (!instrument) throw new AppError('not_found', `Unknown symbol ${symbol.symbol}`);
  return instrument;
}
