/**
 * Option expiries and time to expiry.
 *
 * - Expiry instant: 15:30 IST on the expiry day (the close of the last trading session).
 * - Time to expiry: calendar time from `nowMs` to that instant in years of 365 days
 *   (365 × 24 h), the convention NSE uses for its own IV figures; ≤ 0 once expired.
 * - Weekly expiry (simulator, Kite chain helper): the next Tuesday on or after today (IST), the
 *   following one once 15:30 IST of an expiry Tuesday has passed; NSE moved weekly index expiries
 *   to Tuesday in September 2025. Holidays are not applied (see currentMonthlyExpiry).
 */
import { DAY_MS, SESSION_CLOSE_MINUTE, istDate, istDateStart, istDayStart, istWeekday } from '@/lib/market/session';

export const YEAR_MS = 365 * DAY_MS;

/** 15:30 IST of expiry date "YYYY-MM-DD", epoch ms UTC (NaN for a malformed date). */
export function expiryInstant(expiry: string): number {
  return istDateStart(expiry) + SESSION_CLOSE_MINUTE * 60_000;
}

/** Years (365-day) from `nowMs` to 15:30 IST of `expiry`; negative once expired. */
export function timeToExpiryYears(expiry: string, nowMs: number): number {
  return (expiryInstant(expiry) - nowMs) / YEAR_MS;
}

/** The weekly (Tuesday) expiry date "YYYY-MM-DD" current at `nowMs`; `weeksAhead` later ones. */
export function weeklyExpiry(nowMs: number, weeksAhead = 0): string {
  const today = istDayStart(nowMs);
  let days = (2 - istWeekday(nowMs) + 7) % 7;
  if (days === 0 && nowMs >= today + SESSION_CLOSE_MINUTE * 60_000) days = 7;
  return istDate(today + (days + 7 * weeksAhead) * DAY_MS + DAY_MS / 2);
}
