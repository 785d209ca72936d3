/** Alert routes' target check: a known instrument or an existing watchlist (server-side, reads the database). */
import type { AlertTarget } from '@/lib/contracts/alert';
import type { Database } from '@/lib/db/client';
import { getWatchlistSymbols, resolveSymbols } from '@/lib/db/queries/watchlists';
import { AppError } from '@/lib/http/errors';
import { parseSymbol, symbolOf } from '@/lib/market/tick';

/** Normalise and check an alert target. Throws AppError 400 naming `body.target.value`. */
export async function checkTarget(db: Database, target: AlertTarget): Promise<AlertTarget> {
  if (target.kind === 'symbol') {
    const parsed = parseSymbol(target.value);
    if (!parsed) throw new AppError('invalid_request', 'body.target.value: expected EXCHANGE:TRADINGSYMBOL, e.g. NSE:INFY');
    const symbol = symbolOf(parsed);
    const { missing } = await resolveSymbols(db, [symbol]);
    if (missing.length) throw new AppError('invalid_request', `body.target.value: unknown instrument ${symbol}`);
    return { kind: 'symbol', value: symbol };
  }
  if ((await getWatchlistSymbols(db, target.value)) === null) {
    throw new AppError('invalid_request', `body.target.value: no watchlist named "${target.value}"`);
  }
  return target;
}
