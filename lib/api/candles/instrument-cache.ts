/**
 * Symbol → instrument for GET /api/candles, remembered for CANDLE_INSTRUMENT_TTL_MS (default
 * 60 s): the instruments row of a symbol changes only by an instruments import, and a candle read
 * uses only its token, exchange, symbol and segment. Unknown symbols are not remembered (a 404
 * turns into a 200 as soon as the instrument is stored). Identical concurrent lookups share one
 * query.
 */
import type { ParsedSymbol } from '@/lib/contracts/common';
import type { Database } from '@/lib/db/client';
import { requireInstrument } from '@/lib/api/require-instrument';
import type { Instrument } from '@/lib/market/instrument';
import { BoundedCache, cachedLoad, RESPONSE_CACHE } from './response-cache';

const TTL_MS = Number(process.env.CANDLE_INSTRUMENT_TTL_MS ?? 60_000);
const instruments = new BoundedCache<Instrument>(Math.max(RESPONSE_CACHE.entries, 1000));
const inFlight = new Map<string, Promise<Instrument>>();

/** The instrument of `symbol` (cached). @throws AppError not_found (404) "Unknown symbol …" */
export function cachedInstrument(db: Database, symbol: ParsedSymbol): Promise<Instrument> {
  return cachedLoad(instruments, inFlight, `${symbol.exchange}:${symbol.tradingsymbol}`, TTL_MS, () => requireInstrument(db, symbol));
}

/** Forget remembered instruments (tests). */
export function clearInstrumentCache(): void {
  instruments.clear();
}
