/**
 * Black-Scholes for European index options (NSE index options are European, cash-settled), on
 * the maintained-enough, dependency-free packages `black-scholes` (price), `greeks` (delta) and
 * `implied-volatility` (IV by bisection on the same price function), so price, IV and delta agree.
 *
 * Units everywhere: spot and strike in rupees (index points), time in years (365-day), volatility
 * and rate as annualised fractions (0.14 = 14%, continuously compounded rate). No dividends.
 * Pure: safe in the browser, the web server and the worker.
 */
import { blackScholes } from 'black-scholes';
import { getDelta } from 'greeks';
import { getImpliedVolatility } from 'implied-volatility';

export type OptionSide = 'CE' | 'PE';

/** Inputs shared by price, IV and delta. */
export interface OptionInputs {
  side: OptionSide;
  /** Spot of the underlying, rupees. */
  spot: number;
  /** Strike, rupees. */
  strike: number;
  /** Time to expiry, years (> 0). */
  years: number;
  /** Risk-free rate, annualised fraction. */
  rate: number;
}

const callPut = (side: OptionSide) => (side === 'CE' ? 'call' : 'put');

function valid(inputs: OptionInputs): boolean {
  return inputs.spot > 0 && inputs.strike > 0 && inputs.years > 0 && Number.isFinite(inputs.rate);
}

/** Theoretical price, rupees, at volatility `vol` (annualised fraction). Intrinsic value when `years` ≤ 0. */
export function optionPrice(inputs: OptionInputs, vol: number): number {
  const { side, spot, strike } = inputs;
  if (!valid(inputs) || !(vol > 0)) return Math.max(0, side === 'CE' ? spot - strike : strike - spot);
  return blackScholes(spot, strike, inputs.years, vol, inputs.rate, callPut(side));
}

/** Lower no-arbitrage bound of a European option, rupees: max(0, ±(S − K·e^(−rT))). */
export function lowerBound(inputs: OptionInputs): number {
  const discounted = inputs.strike * Math.exp(-inputs.rate * Math.max(0, inputs.years));
  return Math.max(0, inputs.side === 'CE' ? inputs.spot - discounted : discounted - inputs.spot);
}

/** Bounds of a reported IV (annualised): below 0.5% or above 500% is treated as no answer. */
const MIN_IV = 0.005;
const MAX_IV = 5;

/**
 * Implied volatility (annualised fraction) of a market `price` (rupees), or null when there is
 * none: expired (years ≤ 0), price not above the no-arbitrage lower bound, or the solver ends
 * outside [0.5%, 500%]. Converges to the paisa: optionPrice(inputs, iv) ≈ price within ₹0.01.
 */
export function impliedVolatility(inputs: OptionInputs, price: number): number | null {
  if (!valid(inputs) || !(price > 0) || price <= lowerBound(inputs) + 1e-9) return null;
  const iv = getImpliedVolatility(price, inputs.spot, inputs.strike, inputs.years, inputs.rate, callPut(inputs.side), 0.2);
  if (!Number.isFinite(iv) || iv < MIN_IV || iv > MAX_IV) return null;
  return iv;
}

/** Delta (∂price/∂spot; CE in (0, 1), PE in (−1, 0)) at volatility `vol`, or null without inputs. */
export function optionDelta(inputs: OptionInputs, vol: number | null): number | null {
  if (vol === null || !valid(inputs) || !(vol > 0)) return null;
  return getDelta(inputs.spot, inputs.strike, inputs.years, vol, inputs.rate, callPut(inputs.side));
}
