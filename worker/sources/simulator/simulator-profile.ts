/**
 * Intraday volume profile of the simulator, as a share of the day's volume per IST time of day.
 *
 * NSE volume is U-shaped over the 09:15–15:30 session (heaviest after the open and before the
 * close). The simulator runs around the clock, so 97% of a day's volume falls in the session,
 * shaped g(x) = 1 + 3·e^(−x/20) + 2·e^(−(375−x)/15) for x minutes after 09:15, and the other 3%
 * is spread evenly over the rest of the IST day (so the tape still moves at night).
 */
import { DAY_MS, SESSION_CLOSE_MINUTE, SESSION_OPEN_MINUTE, istTimeOfDayMs } from '@/lib/market/session';

const OPEN_MS = SESSION_OPEN_MINUTE * 60_000;
const CLOSE_MS = SESSION_CLOSE_MINUTE * 60_000;
const L = SESSION_CLOSE_MINUTE - SESSION_OPEN_MINUTE; // session length, minutes
const IN_SESSION_SHARE = 0.97;
const OFF_RATE = (1 - IN_SESSION_SHARE) / (DAY_MS - (CLOSE_MS - OPEN_MS)); // share per ms
const A = 3;
const TAU_OPEN = 20;
const B = 2;
const TAU_CLOSE = 15;
/** ∫₀ᴸ g(x) dx, so the session integrates to IN_SESSION_SHARE. */
const G_TOTAL = L + A * TAU_OPEN * (1 - Math.exp(-L / TAU_OPEN)) + B * TAU_CLOSE * (1 - Math.exp(-L / TAU_CLOSE));

function g(x: number): number {
  return 1 + A * Math.exp(-x / TAU_OPEN) + B * Math.exp(-(L - x) / TAU_CLOSE);
}

function gIntegral(x: number): number {
  return (
    x + A * TAU_OPEN * (1 - Math.exp(-x / TAU_OPEN)) + B * TAU_CLOSE * (Math.exp(-(L - x) / TAU_CLOSE) - Math.exp(-L / TAU_CLOSE))
  );
}

/** Share of the day's volume traded per millisecond at instant `ms` (epoch ms). */
export function volumeIntensity(ms: number): number {
  const tod = istTimeOfDayMs(ms);
  if (tod < OPEN_MS || tod >= CLOSE_MS) return OFF_RATE;
  const x = (tod - OPEN_MS) / 60_000;
  return (IN_SESSION_SHARE * g(x)) / G_TOTAL / 60_000;
}

/** Share (0…1) of the day's volume traded from 00:00 IST up to instant `ms`. */
export function cumulativeVolumeShare(ms: number): number {
  const tod = istTimeOfDayMs(ms);
  if (tod < OPEN_MS) return OFF_RATE * tod;
  if (tod < CLOSE_MS) return OFF_RATE * OPEN_MS + (IN_SESSION_SHARE * gIntegral((tod - OPEN_MS) / 60_000)) / G_TOTAL;
  return OFF_RATE * OPEN_MS + IN_SESSION_SHARE + OFF_RATE * (tod - CLOSE_MS);
}
