/**
 * The simulator's instrument universe: NIFTY 50 and NIFTY BANK indices, the 50 NIFTY 50
 * constituents, current-month NIFTY, BANKNIFTY and RELIANCE futures, and weekly NIFTY and
 * BANKNIFTY option chains (31 strikes × CE/PE each; simulator-options.ts).
 *
 * Embedded (the simulator must run without ../shared):
 * - constituents: NSE's NIFTY 50 list of 2026-08-22 (index-constituents/prasad360/ind_nifty50list.csv);
 * - tokens and tick sizes: Kite instruments dump of 2025-07-03 (kite-instruments/instruments_nse_2025-07-03.csv);
 *   TMPV (Tata Motors Passenger Vehicles, listed under that symbol after the Oct 2025 demerger)
 *   is not in that dump and gets a synthetic token ≥ 2^32. Its ISIN INE155A01022 is the old
 *   TATAMOTORS' (Kite token 884737), so the real token is probably 884737, but that is unverified;
 * - reference prices: approximate late-2025 levels in rupees (realistic magnitudes, not quotes);
 * - weights: approximate NIFTY 50 free-float weights in percent (late 2025, rounded), used only
 *   to derive the simulated index values from the simulated constituent prices;
 * - futures: lot sizes and tick sizes from the Kite NFO dump of 2026-08 (NIFTY 65 / 0.1,
 *   BANKNIFTY 30 / 0.2, RELIANCE 500 / 0.1); Kite tokens for the AUG/SEP 2026 contracts in that
 *   dump, synthetic tokens (≥ 2^32) for other months.
 */
import type { Instrument } from '@/lib/market/instrument';
import { currentMonthlyExpiry } from '@/lib/market/session';
import { SIMULATOR_TOKEN_BASE, syntheticToken } from '../formats/synthetic-token';
import { buildOptionChain, OPTION_STEP, type SimOptionSpec } from './simulator-options';

export interface ConstituentSpec {
  symbol: string;
  name: string;
  /** Kite instrument_token (NSE EQ), or null when absent from the dump (synthetic then). */
  kiteToken: number | null;
  /** Minimum price step, rupees. */
  tickSize: number;
  /** Reference price, rupees. */
  refPrice: number;
  /** Approximate index weight, percent. */
  weight: number;
}

// prettier-ignore
export const NIFTY50_CONSTITUENTS: readonly ConstituentSpec[] = [
  { symbol: 'ADANIENT', name: 'Adani Enterprises Ltd.', kiteToken: 6401, tickSize: 0.1, refPrice: 2300, weight: 0.6 },
  { symbol: 'ADANIPORTS', name: 'Adani Ports and Special Economic Zone Ltd.', kiteToken: 3861249, tickSize: 0.1, refPrice: 1480, weight: 0.9 },
  { symbol: 'APOLLOHOSP', name: 'Apollo Hospitals Enterprise Ltd.', kiteToken: 40193, tickSize: 0.5, refPrice: 7300, weight: 0.6 },
  { symbol: 'ASIANPAINT', name: 'Asian Paints Ltd.', kiteToken: 60417, tickSize: 0.1, refPrice: 2850, weight: 0.9 },
  { symbol: 'AXISBANK', name: 'Axis Bank Ltd.', kiteToken: 1510401, tickSize: 0.1, refPrice: 1270, weight: 3.0 },
  { symbol: 'BAJAJ-AUTO', name: 'Bajaj Auto Ltd.', kiteToken: 4267265, tickSize: 0.5, refPrice: 9000, weight: 0.8 },
  { symbol: 'BAJFINANCE', name: 'Bajaj Finance Ltd.', kiteToken: 81153, tickSize: 0.05, refPrice: 1000, weight: 2.3 },
  { symbol: 'BAJAJFINSV', name: 'Bajaj Finserv Ltd.', kiteToken: 4268801, tickSize: 0.1, refPrice: 2050, weight: 0.9 },
  { symbol: 'BEL', name: 'Bharat Electronics Ltd.', kiteToken: 98049, tickSize: 0.05, refPrice: 405, weight: 1.3 },
  { symbol: 'BHARTIARTL', name: 'Bharti Airtel Ltd.', kiteToken: 2714625, tickSize: 0.1, refPrice: 2100, weight: 4.7 },
  { symbol: 'CIPLA', name: 'Cipla Ltd.', kiteToken: 177665, tickSize: 0.1, refPrice: 1520, weight: 0.7 },
  { symbol: 'COALINDIA', name: 'Coal India Ltd.', kiteToken: 5215745, tickSize: 0.05, refPrice: 380, weight: 0.7 },
  { symbol: 'DRREDDY', name: "Dr. Reddy's Laboratories Ltd.", kiteToken: 225537, tickSize: 0.1, refPrice: 1270, weight: 0.6 },
  { symbol: 'EICHERMOT', name: 'Eicher Motors Ltd.', kiteToken: 232961, tickSize: 0.5, refPrice: 7100, weight: 0.8 },
  { symbol: 'ETERNAL', name: 'Eternal Ltd.', kiteToken: 1304833, tickSize: 0.05, refPrice: 300, weight: 1.8 },
  { symbol: 'GRASIM', name: 'Grasim Industries Ltd.', kiteToken: 315393, tickSize: 0.1, refPrice: 2800, weight: 0.8 },
  { symbol: 'HCLTECH', name: 'HCL Technologies Ltd.', kiteToken: 1850625, tickSize: 0.1, refPrice: 1620, weight: 1.5 },
  { symbol: 'HDFCBANK', name: 'HDFC Bank Ltd.', kiteToken: 341249, tickSize: 0.1, refPrice: 995, weight: 12.9 },
  { symbol: 'HDFCLIFE', name: 'HDFC Life Insurance Company Ltd.', kiteToken: 119553, tickSize: 0.05, refPrice: 760, weight: 0.7 },
  { symbol: 'HINDALCO', name: 'Hindalco Industries Ltd.', kiteToken: 348929, tickSize: 0.05, refPrice: 820, weight: 1.0 },
  { symbol: 'HINDUNILVR', name: 'Hindustan Unilever Ltd.', kiteToken: 356865, tickSize: 0.1, refPrice: 2400, weight: 1.9 },
  { symbol: 'ICICIBANK', name: 'ICICI Bank Ltd.', kiteToken: 1270529, tickSize: 0.1, refPrice: 1370, weight: 8.6 },
  { symbol: 'ITC', name: 'ITC Ltd.', kiteToken: 424961, tickSize: 0.05, refPrice: 405, weight: 3.4 },
  { symbol: 'INFY', name: 'Infosys Ltd.', kiteToken: 408065, tickSize: 0.1, refPrice: 1600, weight: 4.8 },
  { symbol: 'INDIGO', name: 'InterGlobe Aviation Ltd.', kiteToken: 2865921, tickSize: 0.5, refPrice: 5600, weight: 1.0 },
  { symbol: 'JSWSTEEL', name: 'JSW Steel Ltd.', kiteToken: 3001089, tickSize: 0.1, refPrice: 1150, weight: 0.9 },
  { symbol: 'JIOFIN', name: 'Jio Financial Services Ltd.', kiteToken: 4644609, tickSize: 0.05, refPrice: 300, weight: 0.8 },
  { symbol: 'KOTAKBANK', name: 'Kotak Mahindra Bank Ltd.', kiteToken: 492033, tickSize: 0.1, refPrice: 2150, weight: 2.7 },
  { symbol: 'LT', name: 'Larsen & Toubro Ltd.', kiteToken: 2939649, tickSize: 0.1, refPrice: 4000, weight: 4.0 },
  { symbol: 'M&M', name: 'Mahindra & Mahindra Ltd.', kiteToken: 519937, tickSize: 0.1, refPrice: 3700, weight: 2.6 },
  { symbol: 'MARUTI', name: 'Maruti Suzuki India Ltd.', kiteToken: 2815745, tickSize: 1, refPrice: 16000, weight: 1.8 },
  { symbol: 'MAXHEALTH', name: 'Max Healthcare Institute Ltd.', kiteToken: 5728513, tickSize: 0.1, refPrice: 1100, weight: 0.7 },
  { symbol: 'NTPC', name: 'NTPC Ltd.', kiteToken: 2977281, tickSize: 0.05, refPrice: 330, weight: 1.3 },
  { symbol: 'NESTLEIND', name: 'Nestle India Ltd.', kiteToken: 4598529, tickSize: 0.1, refPrice: 1250, weight: 0.7 },
  { symbol: 'ONGC', name: 'Oil & Natural Gas Corporation Ltd.', kiteToken: 633601, tickSize: 0.01, refPrice: 245, weight: 0.8 },
  { symbol: 'POWERGRID', name: 'Power Grid Corporation of India Ltd.', kiteToken: 3834113, tickSize: 0.05, refPrice: 270, weight: 1.1 },
  { symbol: 'RELIANCE', name: 'Reliance Industries Ltd.', kiteToken: 738561, tickSize: 0.1, refPrice: 1550, weight: 8.5 },
  { symbol: 'SBILIFE', name: 'SBI Life Insurance Company Ltd.', kiteToken: 5582849, tickSize: 0.1, refPrice: 2000, weight: 0.7 },
  { symbol: 'SHRIRAMFIN', name: 'Shriram Finance Ltd.', kiteToken: 1102337, tickSize: 0.05, refPrice: 850, weight: 0.9 },
  { symbol: 'SBIN', name: 'State Bank of India', kiteToken: 779521, tickSize: 0.05, refPrice: 970, weight: 3.2 },
  { symbol: 'SUNPHARMA', name: 'Sun Pharmaceutical Industries Ltd.', kiteToken: 857857, tickSize: 0.1, refPrice: 1780, weight: 1.6 },
  { symbol: 'TCS', name: 'Tata Consultancy Services Ltd.', kiteToken: 2953217, tickSize: 0.1, refPrice: 3200, weight: 2.9 },
  { symbol: 'TATACONSUM', name: 'Tata Consumer Products Ltd.', kiteToken: 878593, tickSize: 0.1, refPrice: 1150, weight: 0.6 },
  { symbol: 'TMPV', name: 'Tata Motors Passenger Vehicles Ltd.', kiteToken: null, tickSize: 0.05, refPrice: 360, weight: 0.9 },
  { symbol: 'TATASTEEL', name: 'Tata Steel Ltd.', kiteToken: 895745, tickSize: 0.01, refPrice: 170, weight: 1.2 },
  { symbol: 'TECHM', name: 'Tech Mahindra Ltd.', kiteToken: 3465729, tickSize: 0.1, refPrice: 1550, weight: 0.8 },
  { symbol: 'TITAN', name: 'Titan Company Ltd.', kiteToken: 897537, tickSize: 0.1, refPrice: 3900, weight: 1.3 },
  { symbol: 'TRENT', name: 'Trent Ltd.', kiteToken: 502785, tickSize: 0.5, refPrice: 4300, weight: 0.8 },
  { symbol: 'ULTRACEMCO', name: 'UltraTech Cement Ltd.', kiteToken: 2952193, tickSize: 1, refPrice: 11800, weight: 1.2 },
  { symbol: 'WIPRO', name: 'Wipro Ltd.', kiteToken: 969473, tickSize: 0.05, refPrice: 255, weight: 0.6 },
];

/** NIFTY BANK members among the NIFTY 50 (the real index has more banks; these carry most of its weight). */
const BANK_SYMBOLS = ['HDFCBANK', 'ICICIBANK', 'SBIN', 'KOTAKBANK', 'AXISBANK'] as const;

/** Kite tokens of the futures present in the 2026-08 NFO dump. */
const KNOWN_FUTURE_TOKENS: Readonly<Record<string, number>> = {
  NIFTY26AUGFUT: 14866434,
  NIFTY26SEPFUT: 17512194,
  BANKNIFTY26AUGFUT: 14865154,
  BANKNIFTY26SEPFUT: 17507842,
  RELIANCE26AUGFUT: 14942978,
  RELIANCE26SEPFUT: 17606914,
};

/** How an instrument's price is produced. */
export type SimKind = 'index' | 'equity' | 'future' | 'option';

/** One simulated instrument and the parameters of its price, volume and tick model. */
export interface SimInstrumentSpec {
  instrument: Instrument;
  kind: SimKind;
  /** Reference level, rupees (index: points). */
  refPrice: number;
  /** Step prices are rounded to: the tick size; 0.05 for indices (whose Kite tick_size is 0). */
  priceStep: number;
  /** Trading unit: 1 for equities, the lot size for futures, 0 for indices. */
  lot: number;
  /** Average day volume in shares/units (0 for indices). */
  adv: number;
  /** Relative liquidity 0…1 (more liquid → ticks more often, tighter spread). */
  liquidity: number;
  /** Index: constituent tokens and weights. */
  components?: { token: number; weight: number }[];
  /** Future: token of the underlying instrument and the starting open interest. */
  underlying?: number;
  initialOi?: number;
  /** Option: side, strike and smile (simulator-options.ts); `underlying` is the index token. */
  option?: SimOptionSpec;
}

export const NIFTY_50_TOKEN = 256265;
export const NIFTY_BANK_TOKEN = 260105;
const INDEX_STEP = 0.05;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Token of a constituent: Kite's, or synthetic "SIM:NSE:<symbol>" for symbols missing from the dump. */
export function constituentToken(c: ConstituentSpec): number {
  return c.kiteToken ?? syntheticToken(SIMULATOR_TOKEN_BASE, `SIM:NSE:${c.symbol}`);
}

function indexInstrument(token: number, symbol: string): Instrument {
  return {
    instrumentToken: token,
    exchange: 'NSE',
    tradingsymbol: symbol,
    name: symbol,
    segment: 'INDICES',
    instrumentType: 'EQ',
    tickSize: 0,
    lotSize: 0,
    expiry: null,
    strike: null,
  };
}

/**
 * Build the universe for a simulator started at `atMs` (epoch ms): the futures are the
 * contracts current at that instant (see currentMonthlyExpiry), e.g. NIFTY26NOVFUT.
 * Returns indices first, then constituents, then futures.
 */
export function buildSimulatorUniverse(atMs: number): SimInstrumentSpec[] {
  const maxWeight = Math.max(...NIFTY50_CONSTITUENTS.map((c) => c.weight));
  const equities: SimInstrumentSpec[] = NIFTY50_CONSTITUENTS.map((c) => ({
    instrument: {
      instrumentToken: constituentToken(c),
      exchange: 'NSE',
      tradingsymbol: c.symbol,
      name: c.name,
      segment: 'NSE',
      instrumentType: 'EQ',
      tickSize: c.tickSize,
      lotSize: 1,
      expiry: null,
      strike: null,
    },
    kind: 'equity',
    refPrice: c.refPrice,
    priceStep: c.tickSize,
    lot: 1,
    // Day turnover ≈ ₹200 crore + ₹100 crore per weight point (HDFCBANK ≈ ₹1,500 crore).
    adv: Math.round((2e9 + c.weight * 1e9) / c.refPrice),
    liquidity: Math.sqrt(c.weight / maxWeight),
  }));
  const byToken = new Map(equities.map((e) => [e.instrument.tradingsymbol, e.instrument.instrumentToken]));
  const nifty: SimInstrumentSpec = {
    instrument: indexInstrument(NIFTY_50_TOKEN, 'NIFTY 50'),
    kind: 'index',
    refPrice: 26000,
    priceStep: INDEX_STEP,
    lot: 0,
    adv: 0,
    liquidity: 1,
    components: NIFTY50_CONSTITUENTS.map((c) => ({ token: constituentToken(c), weight: c.weight })),
  };
  const bank: SimInstrumentSpec = {
    instrument: indexInstrument(NIFTY_BANK_TOKEN, 'NIFTY BANK'),
    kind: 'index',
    refPrice: 59000,
    priceStep: INDEX_STEP,
    lot: 0,
    adv: 0,
    liquidity: 1,
    components: NIFTY50_CONSTITUENTS.filter((c) => (BANK_SYMBOLS as readonly string[]).includes(c.symbol)).map((c) => ({
      token: constituentToken(c),
      weight: c.weight,
    })),
  };

  const { year, month, expiry } = currentMonthlyExpiry(atMs);
  const suffix = `${String(year % 100).padStart(2, '0')}${MONTHS[month - 1]}FUT`;
  const future = (name: string, underlying: number, ref: number, step: number, lot: number, adv: number, oi: number) => {
    const tradingsymbol = `${name}${suffix}`;
    const spec: SimInstrumentSpec = {
      instrument: {
        instrumentToken: KNOWN_FUTURE_TOKENS[tradingsymbol] ?? syntheticToken(SIMULATOR_TOKEN_BASE, `SIM:NFO:${tradingsymbol}`),
        exchange: 'NFO',
        tradingsymbol,
        name,
        segment: 'NFO-FUT',
        instrumentType: 'FUT',
        tickSize: step,
        lotSize: lot,
        expiry,
        strike: null,
      },
      kind: 'future',
      refPrice: ref,
      priceStep: step,
      lot,
      adv,
      liquidity: 1,
      underlying,
      initialOi: oi,
    };
    return spec;
  };
  const reliance = byToken.get('RELIANCE') as number;
  const futures = [
    future('NIFTY', NIFTY_50_TOKEN, nifty.refPrice, 0.1, 65, 6_000_000, 11_000_000),
    future('BANKNIFTY', NIFTY_BANK_TOKEN, bank.refPrice, 0.2, 30, 1_500_000, 2_000_000),
    future('RELIANCE', reliance, 1550, 0.1, 500, 8_000_000, 100_000_000),
  ];
  const options: SimInstrumentSpec[] = [
    { name: 'NIFTY', indexToken: NIFTY_50_TOKEN, refPrice: nifty.refPrice, strikeStep: 50, lot: 65, atmVol: 0.12, atmAdv: 4_000_000, atmOi: 6_000_000 },
    { name: 'BANKNIFTY', indexToken: NIFTY_BANK_TOKEN, refPrice: bank.refPrice, strikeStep: 100, lot: 30, atmVol: 0.14, atmAdv: 600_000, atmOi: 900_000 },
  ].flatMap((chain) =>
    buildOptionChain(chain, atMs).map((o) => ({
      instrument: o.instrument,
      kind: 'option' as const,
      refPrice: 0,
      priceStep: OPTION_STEP,
      lot: chain.lot,
      adv: o.adv,
      liquidity: o.liquidity,
      underlying: chain.indexToken,
      initialOi: o.initialOi,
      option: o.option,
    })),
  );
  return [nifty, bank, ...equities, ...futures, ...options];
}
