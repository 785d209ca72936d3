/**
 * The option chain from the database (GET /api/option-chain):
 *
 * - contracts: `instruments` rows of the derivatives exchange with `name` = underlying,
 *   instrument_type CE/PE and the requested expiry (default: the nearest whose 15:30 IST close
 *   is still ahead of `nowMs`, else the newest listed);
 * - spot: the last stored tick of the index/equity (lib/options/underlyings.ts);
 * - per contract: the last stored tick (ltp, cumulative day volume, OI), the previous session's
 *   close (getPreviousCloses: official day candle, else the roll-up) and the OI of the last 1m
 *   candle before the IST day of that tick (the previous session's closing OI);
 * - strikes: `strikes` listed strikes each side of the one nearest spot (all when spot is unknown).
 *
 * @throws AppError 404 not_found when the underlying has no listed options (or not that expiry).
 */
import { AppError } from '@/lib/http/errors';
import type { Database } from '@/lib/db/client';
import { getPreviousCloses } from '@/lib/db/queries/previous-close';
import { DAY_MS, istDate, istDayStart } from '@/lib/market/session';
import { buildChain, type LegQuote, type OptionChain } from './chain';
import { strikesAround } from './chain-math';
import { expiryInstant, timeToExpiryYears } from './expiry';
import { underlyingSource } from './underlyings';

export interface ChainQuery {
  /** "NIFTY", "BANKNIFTY", "RELIANCE" (case-insensitive). */
  underlying: string;
  /** "YYYY-MM-DD"; default the nearest live expiry. */
  expiry?: string;
  /** Strikes each side of ATM (default 15). */
  strikes?: number;
  /** Risk-free rate, annualised fraction. */
  rate: number;
  /** Valuation instant, epoch ms (default Date.now()). */
  nowMs?: number;
}

interface ContractRow {
  instrument_token: string | number;
  exchange: string;
  tradingsymbol: string;
  instrument_type: 'CE' | 'PE';
  strike: number;
}

interface TickRow {
  instrument_token: string | number;
  time: Date | string;
  ltp: number;
  volume: string | number | null;
  oi: string | number | null;
}

const tokenArray = (tokens: readonly number[]) => `{${tokens.map((t) => String(Math.trunc(t))).join(',')}}`;
const num = (v: string | number | null) => (v === null ? null : Number(v));

/** Expiry dates "YYYY-MM-DD" listed for `underlying` on `exchange`, ascending. */
export async function listExpiries(db: Database, exchange: string, underlying: string): Promise<string[]> {
  const rows = await db.query<{ expiry: string | Date }>(
    `SELECT DISTINCT expiry FROM instruments
     WHERE exchange = $1 AND name = $2 AND instrument_type IN ('CE', 'PE') AND expiry IS NOT NULL ORDER BY expiry`,
    [exchange, underlying],
  );
  return rows.map((r) => (typeof r.expiry === 'string' ? r.expiry.slice(0, 10) : istDate(r.expiry.getTime() + DAY_MS / 2)));
}

/** Last stored tick per token (within 10 days of `nowMs` or of the newest stored tick). */
async function latestTicks(db: Database, tokens: readonly number[]): Promise<Map<number, TickRow>> {
  if (tokens.length === 0) return new Map();
  const rows = await db.query<TickRow>(
    `SELECT DISTINCT ON (instrument_token) instrument_token, time, ltp, volume, oi FROM ticks
     WHERE instrument_token = ANY($1::bigint[])
       AND time > (SELECT max(time) FROM ticks WHERE instrument_token = ANY($1::bigint[])) - interval '10 days'
     ORDER BY instrument_token, time DESC`,
    [tokenArray(tokens)],
  );
  return new Map(rows.map((r) => [Number(r.instrument_token), r]));
}

/** OI of the last stored 1m candle per token before `beforeMs` (within 10 days): the previous session's closing OI. */
async function previousOi(db: Database, tokens: readonly number[], beforeMs: number): Promise<Map<number, number>> {
  if (tokens.length === 0) return new Map();
  const rows = await db.query<{ instrument_token: string | number; oi: string | number }>(
    `SELECT DISTINCT ON (instrument_token) instrument_token, oi FROM candles_1m
     WHERE instrument_token = ANY($1::bigint[]) AND bucket < $2::timestamptz AND bucket >= $3::timestamptz AND oi IS NOT NULL
     ORDER BY instrument_token, bucket DESC`,
    [tokenArray(tokens), new Date(beforeMs).toISOString(), new Date(beforeMs - 10 * DAY_MS).toISOString()],
  );
  return new Map(rows.map((r) => [Number(r.instrument_token), Number(r.oi)]));
}

/** The chain; see the module comment. */
export async function getOptionChain(db: Database, query: ChainQuery): Promise<OptionChain> {
  const underlying = query.underlying.trim().toUpperCase();
  const nowMs = query.nowMs ?? Date.now();
  const source = underlyingSource(underlying);
  const expiries = await listExpiries(db, source.exchange, underlying);
  if (expiries.length === 0) throw new AppError('not_found', `no options listed for ${underlying}`);
  const expiry = query.expiry ?? expiries.find((e) => expiryInstant(e) > nowMs) ?? expiries[expiries.length - 1];
  if (!expiries.includes(expiry)) {
    throw new AppError('not_found', `no ${underlying} options expire on ${expiry} (listed: ${expiries.slice(0, 8).join(', ')})`);
  }
  const contracts = await db.query<ContractRow>(
    `SELECT instrument_token, exchange, tradingsymbol, instrument_type, strike FROM instruments
     WHERE exchange = $1 AND name = $2 AND instrument_type IN ('CE', 'PE') AND expiry = $3::date AND strike IS NOT NULL`,
    [source.exchange, underlying, expiry],
  );
  const [spotRow] = await db.query<{ instrument_token: string | number }>(
    'SELECT instrument_token FROM instruments WHERE exchange = $1 AND tradingsymbol = $2 LIMIT 1',
    [source.spot.exchange, source.spot.tradingsymbol],
  );
  const spotToken = spotRow ? Number(spotRow.instrument_token) : null;
  const spotTick = spotToken === null ? undefined : (await latestTicks(db, [spotToken])).get(spotToken);
  const spot = spotTick ? Number(spotTick.ltp) : null;

  const allStrikes = contracts.map((c) => Number(c.strike));
  const strikes = spot === null ? [...new Set(allStrikes)].sort((a, b) => a - b) : strikesAround(allStrikes, spot, query.strikes ?? 15);
  const wanted = new Set(strikes);
  const chosen = contracts.filter((c) => wanted.has(Number(c.strike)));
  const tokens = chosen.map((c) => Number(c.instrument_token));
  const ticks = await latestTicks(db, tokens);
  const lastTime = Math.max(0, ...[...ticks.values()].map((t) => new Date(t.time).getTime()));
  const day = istDayStart(lastTime || nowMs);
  const [closes, oiBefore] = await Promise.all([getPreviousCloses(db, tokens, day), previousOi(db, tokens, day)]);

  const legs = new Map<string, LegQuote>();
  for (const c of chosen) {
    const token = Number(c.instrument_token);
    const tick = ticks.get(token);
    legs.set(`${Number(c.strike)}|${c.instrument_type}`, {
      symbol: `${c.exchange}:${c.tradingsymbol}`,
      ltp: tick ? Number(tick.ltp) : null,
      prevClose: closes.get(token)?.close ?? null,
      volume: tick ? num(tick.volume) : null,
      oi: tick ? num(tick.oi) : null,
      prevOi: oiBefore.get(token) ?? null,
    });
  }
  return buildChain({
    underlying,
    expiry,
    spot,
    rate: query.rate,
    timeToExpiryYears: Number(timeToExpiryYears(expiry, nowMs).toFixed(8)),
    strikes: strikes.map((strike) => ({ strike, ce: legs.get(`${strike}|CE`) ?? null, pe: legs.get(`${strike}|PE`) ?? null })),
  });
}
