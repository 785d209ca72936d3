/**
 * One-step option chain subscription for a broker collector (issue 13 point 6): from an
 * underlying, an expiry (default the nearest live one) and a number of strikes each side of ATM,
 * the instruments to subscribe, all from the instruments master (`instruments`, e.g. Kite's
 * dump imported with `npm run import -- --format kite-instruments`):
 *
 * - contracts: CE and PE of the `strikes` listed strikes each side of the one nearest the spot
 *   (2·strikes + 1 strikes at most, so up to 2·(2·strikes + 1) contracts);
 * - the underlying itself: the index (NIFTY → NSE:NIFTY 50, lib/options/underlyings.ts) or the
 *   equity, and its nearest unexpired future, when the master lists them.
 *
 * Spot (to find ATM): `around` when given (a price in rupees), else the last stored tick of the
 * index/equity, else of its nearest future. Expiry rule and contract query as GET
 * /api/option-chain (lib/options/chain-query.ts: listExpiries, expiryInstant).
 *
 * @throws AppError 400 invalid_request naming the body field: `body.underlying` (no options
 *   listed for it), `body.expiry` (not a listed expiry), `body.around` (no spot price stored and
 *   none given).
 */
import type { Database } from '@/lib/db/client';
import { AppError } from '@/lib/http/errors';
import { istDate } from '@/lib/market/session';
import { strikesAround, atmStrike } from './chain-math';
import { listExpiries } from './chain-query';
import { expiryInstant } from './expiry';
import { underlyingSource } from './underlyings';

export interface ChainSubscriptionQuery {
  /** "NIFTY", "BANKNIFTY", "RELIANCE" (upper case). */
  underlying: string;
  /** "YYYY-MM-DD"; default the nearest expiry whose 15:30 IST close is ahead of `nowMs`. */
  expiry?: string;
  /** Listed strikes each side of ATM. */
  strikes: number;
  /** Price to centre on, rupees (default: the stored spot). */
  around?: number;
  /** Epoch ms (default Date.now()). */
  nowMs?: number;
}

export interface ChainSubscription {
  underlying: string;
  expiry: string;
  /** The price ATM was taken from, rupees, and where it came from. */
  spot: number;
  spotSource: 'around' | 'index' | 'future';
  atm: number;
  /** Strikes chosen, ascending. */
  strikes: number[];
  /** Instrument tokens to subscribe: contracts, then the underlying and its future when listed. */
  tokens: number[];
  /** The same instruments as "EXCHANGE:TRADINGSYMBOL", in the same order. */
  symbols: string[];
}

interface Row {
  instrument_token: string | number;
  exchange: string;
  tradingsymbol: string;
  instrument_type?: string | null;
  strike?: number | string | null;
}

/** Last stored tick price of `token` (within 10 days of its newest tick), or null. */
async function lastPrice(db: Database, token: number): Promise<number | null> {
  const [row] = await db.query<{ ltp: number }>('SELECT ltp FROM ticks WHERE instrument_token = $1 ORDER BY time DESC LIMIT 1', [token]);
  return row ? Number(row.ltp) : null;
}

/** Resolve the chain's instruments; see the module comment. */
export async function resolveChainSubscription(db: Database, query: ChainSubscriptionQuery): Promise<ChainSubscription> {
  const underlying = query.underlying.trim().toUpperCase();
  const nowMs = query.nowMs ?? Date.now();
  const source = underlyingSource(underlying);
  const expiries = await listExpiries(db, source.exchange, underlying);
  if (expiries.length === 0) throw new AppError('invalid_request', `body.underlying: no ${source.exchange} options listed for ${underlying} in the instruments master`);
  const expiry = query.expiry ?? expiries.find((e) => expiryInstant(e) > nowMs) ?? expiries[expiries.length - 1];
  if (!expiries.includes(expiry)) {
    throw new AppError('invalid_request', `body.expiry: no ${underlying} options expire on ${expiry} (listed: ${expiries.slice(0, 8).join(', ')})`);
  }
  const contracts = await db.query<Row>(
    `SELECT instrument_token, exchange, tradingsymbol, instrument_type, strike FROM instruments
     WHERE exchange = $1 AND name = $2 AND instrument_type IN ('CE', 'PE') AND expiry = $3::date AND strike IS NOT NULL
     ORDER BY strike, instrument_type`,
    [source.exchange, underlying, expiry],
  );
  const [spotRow] = await db.query<Row>('SELECT instrument_token, exchange, tradingsymbol FROM instruments WHERE exchange = $1 AND tradingsymbol = $2 LIMIT 1', [
    source.spot.exchange,
    source.spot.tradingsymbol,
  ]);
  const today = istDate(nowMs);
  const [futureRow] = await db.query<Row>(
    `SELECT instrument_token, exchange, tradingsymbol FROM instruments
     WHERE exchange = $1 AND name = $2 AND instrument_type = 'FUT' AND expiry >= $3::date ORDER BY expiry LIMIT 1`,
    [source.exchange, underlying, today],
  );

  let spot: number | null = query.around ?? null;
  let spotSource: ChainSubscription['spotSource'] = 'around';
  if (spot === null && spotRow) {
    spot = await lastPrice(db, Number(spotRow.instrument_token));
    spotSource = 'index';
  }
  if (spot === null && futureRow) {
    spot = await lastPrice(db, Number(futureRow.instrument_token));
    spotSource = 'future';
  }
  if (spot === null) {
    throw new AppError('invalid_request', `body.around: no price stored for ${source.spot.exchange}:${source.spot.tradingsymbol} or its future; give the price to centre the strikes on`);
  }
  const strikes = strikesAround(contracts.map((c) => Number(c.strike)), spot, query.strikes);
  const wanted = new Set(strikes);
  const chosen: Row[] = [...contracts.filter((c) => wanted.has(Number(c.strike))), ...(spotRow ? [spotRow] : []), ...(futureRow ? [futureRow] : [])];
  return {
    underlying,
    expiry,
    spot,
    spotSource,
    atm: atmStrike(strikes, spot)!,
    strikes,
    tokens: chosen.map((c) => Number(c.instrument_token)),
    symbols: chosen.map((c) => `${c.exchange}:${c.tradingsymbol}`),
  };
}
