/**
 * The simulator's weekly option chains: NIFTY (strike step 50) and BANKNIFTY (step 100), 15
 * strikes each side of the index's reference level, CE and PE, expiring on the weekly expiry
 * current at the start (lib/options/expiry.ts weeklyExpiry: the coming Tuesday, 15:30 IST).
 * NSE lists BANKNIFTY monthly only since November 2024; the simulator gives it a weekly chain
 * anyway so both chains work out of the box.
 *
 * Prices come from Black-Scholes (lib/options/black-scholes.ts) on the simulated index, the
 * configured risk-free rate and a volatility smile (see smileVolatility), so the IVs that
 * GET /api/option-chain reads back from the prices draw the smile. OI starts highest at the
 * money, calls heavier above spot and puts below, and random-walks with the trades like futures'.
 * Tradingsymbols follow Kite (lib/options/symbols.ts); tokens are synthetic (≥ 2^32).
 */
import type { Instrument } from '@/lib/market/instrument';
import { optionPrice, type OptionSide } from '@/lib/options/black-scholes';
import { weeklyExpiry } from '@/lib/options/expiry';
import { optionTradingsymbol } from '@/lib/options/symbols';
import { SIMULATOR_TOKEN_BASE, syntheticToken } from '../formats/synthetic-token';

/** One simulated option contract. */
export interface SimOptionSpec {
  side: OptionSide;
  /** Strike, rupees. */
  strike: number;
  /** At-the-money volatility of the smile, annualised fraction. */
  atmVol: number;
}

/** The chains: option name, index token, strike step, lot, ATM vol, day volume of an ATM contract (units), ATM OI (units). */
export interface SimChainSpec {
  name: string;
  indexToken: number;
  refPrice: number;
  strikeStep: number;
  lot: number;
  atmVol: number;
  atmAdv: number;
  atmOi: number;
}

export const STRIKES_EACH_SIDE = 15;
export const OPTION_STEP = 0.05;

/**
 * Smile: σ(K) = σ_atm · (1 − 1.5·m + 12·m²) with m = ln(K/S), floored at 0.5·σ_atm: a put skew
 * (lower strikes richer) and a convex wing, as on NSE index options.
 */
export function smileVolatility(atmVol: number, strike: number, spot: number): number {
  const m = Math.log(strike / spot);
  return Math.max(0.5 * atmVol, atmVol * (1 - 1.5 * m + 12 * m * m));
}

/** Unrounded simulated price (rupees) of an option at `spot` with `years` to expiry and `rate`. */
export function simulatedOptionPrice(option: SimOptionSpec, spot: number, years: number, rate: number): number {
  const vol = smileVolatility(option.atmVol, option.strike, spot);
  return optionPrice({ side: option.side, spot, strike: option.strike, years, rate }, vol);
}

/** Instruments and parameters of `chain`'s contracts for the weekly expiry current at `atMs`. */
export function buildOptionChain(chain: SimChainSpec, atMs: number) {
  const expiry = weeklyExpiry(atMs);
  const atm = Math.round(chain.refPrice / chain.strikeStep) * chain.strikeStep;
  const out: { instrument: Instrument; option: SimOptionSpec; adv: number; initialOi: number; liquidity: number }[] = [];
  for (let i = -STRIKES_EACH_SIDE; i <= STRIKES_EACH_SIDE; i++) {
    const strike = atm + i * chain.strikeStep;
    for (const side of ['CE', 'PE'] as const) {
      const tradingsymbol = optionTradingsymbol(chain.name, expiry, strike, side);
      const away = i / STRIKES_EACH_SIDE; // −1 … 1
      const otm = side === 'CE' ? away : -away; // > 0 out of the money
      const weight = Math.exp(-4 * away * away) * (otm >= 0 ? 1 : 0.35);
      out.push({
        instrument: {
          instrumentToken: syntheticToken(SIMULATOR_TOKEN_BASE, `SIM:NFO:${tradingsymbol}`),
          exchange: 'NFO',
          tradingsymbol,
          name: chain.name,
          segment: 'NFO-OPT',
          instrumentType: side,
          tickSize: OPTION_STEP,
          lotSize: chain.lot,
          expiry,
          strike,
        },
        option: { side, strike, atmVol: chain.atmVol },
        adv: Math.max(chain.lot * 20, chain.atmAdv * weight),
        initialOi: Math.max(chain.lot * 10, chain.atmOi * (0.15 + weight)),
        liquidity: 0.3 + 0.7 * weight,
      });
    }
  }
  return out;
}
