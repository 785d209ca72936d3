/**
 * Kite tradingsymbols of index options (https://kite.trade/docs/connect/v3/instruments/):
 * - monthly contract (expiry = the month's last expiry day): NAME + YY + MMM + strike + CE|PE,
 *   e.g. NIFTY25DEC26000CE;
 * - weekly contract: NAME + YY + M + DD + strike + CE|PE with M = 1…9, O, N, D,
 *   e.g. NIFTY2512926000CE for 2025-12-09.
 */
import { currentMonthlyExpiry, istDateStart } from '@/lib/market/session';
import type { OptionSide } from './black-scholes';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKLY_MONTH = '123456789OND';

/** Kite tradingsymbol of `name`'s option expiring `expiry` ("YYYY-MM-DD") at `strike` (rupees). */
export function optionTradingsymbol(name: string, expiry: string, strike: number, side: OptionSide): string {
  const [y, m, d] = expiry.split('-').map(Number);
  const yy = String(y % 100).padStart(2, '0');
  const monthly = currentMonthlyExpiry(istDateStart(expiry)).expiry === expiry;
  const date = monthly ? `${yy}${MONTHS[m - 1]}` : `${yy}${WEEKLY_MONTH[m - 1]}${String(d).padStart(2, '0')}`;
  return `${name}${date}${strike}${side}`;
}
