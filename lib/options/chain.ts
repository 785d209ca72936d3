/**
 * Assemble an option chain from quotes (pure; used by GET /api/option-chain and by the page when
 * live ticks arrive, so both compute IV and delta the same way).
 *
 * Per leg: ltp (rupees), change = ltp − previous close (lib/market/change.ts; null when the
 * previous close is unknown), day volume (units), OI (units), OI change = OI − the last OI of
 * the previous session (null when unknown), IV (annualised fraction, Black-Scholes on spot,
 * strike, timeToExpiryYears and rate; null when the price has no time value) and delta at that IV.
 */
import { priceChange } from '@/lib/market/change';
import { impliedVolatility, optionDelta, type OptionSide } from './black-scholes';
import { atmStrike, maxPain, putCallRatio } from './chain-math';

/** What is known of one contract. */
export interface LegQuote {
  /** "NFO:NIFTY2512926000CE". */
  symbol: string;
  ltp: number | null;
  /** Previous session close, rupees; null when unknown. */
  prevClose: number | null;
  volume: number | null;
  oi: number | null;
  /** Last OI of the previous session; null when unknown. */
  prevOi: number | null;
}

export interface ChainLeg {
  symbol: string;
  ltp: number | null;
  change: number | null;
  volume: number | null;
  oi: number | null;
  oiChange: number | null;
  iv: number | null;
  delta: number | null;
}

export interface ChainRow {
  strike: number;
  ce: ChainLeg | null;
  pe: ChainLeg | null;
}

/** The JSON of GET /api/option-chain. */
export interface OptionChain {
  underlying: string;
  /** "YYYY-MM-DD" (expires 15:30 IST that day). */
  expiry: string;
  /** Underlying's last price, rupees; null when unknown. */
  spot: number | null;
  atm: number | null;
  /** Risk-free rate used, annualised fraction. */
  rate: number;
  /** Years (365-day) to 15:30 IST on expiry day that IV and delta were computed with. */
  timeToExpiryYears: number;
  pcr: number | null;
  maxPain: number | null;
  rows: ChainRow[];
}

export interface ChainInput {
  underlying: string;
  expiry: string;
  spot: number | null;
  rate: number;
  timeToExpiryYears: number;
  strikes: { strike: number; ce: LegQuote | null; pe: LegQuote | null }[];
}

const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));

function leg(quote: LegQuote | null, side: OptionSide, strike: number, input: ChainInput): ChainLeg | null {
  if (!quote) return null;
  const inputs = { side, spot: input.spot ?? 0, strike, years: input.timeToExpiryYears, rate: input.rate };
  const iv = quote.ltp !== null && input.spot !== null ? impliedVolatility(inputs, quote.ltp) : null;
  return {
    symbol: quote.symbol,
    ltp: quote.ltp,
    change: round(priceChange(quote.ltp, quote.prevClose).change, 2),
    volume: quote.volume,
    oi: quote.oi,
    oiChange: quote.oi !== null && quote.prevOi !== null ? quote.oi - quote.prevOi : null,
    iv: round(iv, 6),
    delta: round(optionDelta(inputs, iv), 6),
  };
}

/** The chain of `input` (rows in the order given, usually ascending strikes). */
export function buildChain(input: ChainInput): OptionChain {
  const rows = input.strikes.map(({ strike, ce, pe }) => ({ strike, ce: leg(ce, 'CE', strike, input), pe: leg(pe, 'PE', strike, input) }));
  const oi = rows.map((row) => ({ strike: row.strike, ceOi: row.ce?.oi ?? null, peOi: row.pe?.oi ?? null }));
  return {
    underlying: input.underlying,
    expiry: input.expiry,
    spot: input.spot,
    atm: input.spot === null ? null : atmStrike(rows.map((r) => r.strike), input.spot),
    rate: input.rate,
    timeToExpiryYears: input.timeToExpiryYears,
    pcr: round(putCallRatio(oi), 4),
    maxPain: maxPain(oi),
    rows,
  };
}
