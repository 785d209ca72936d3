/**
 * Plans broker history requests for missing 1m candles within the broker's limits: missing
 * minutes are grouped by IST day (days already fetched after their close are skipped), and
 * consecutive days are merged into one request while the request spans at most
 * `maxMinuteSpanDays` (Kite: 60 days of minute candles per request). Each request covers
 * [first missing minute, last missing minute + 1 min) of its days. One instrument-year with
 * nothing stored is ceil(365 / 60) = 7 Kite requests.
 */
import { DAY_MS, istDate } from '@/lib/market/session';

export interface PlannedRequest {
  /** Epoch ms UTC, [from, to). */
  from: number;
  to: number;
  /** IST dates covered that had missing minutes. */
  days: string[];
  /** Missing minutes this request should fill. */
  minutes: number;
}


/** Requests for `missing` minute starts (ascending), skipping IST dates in `skipDays`. */
export function planRequests(missing: readonly number[], maxMinuteSpanDays: number, skipDays: ReadonlySet<string> = new Set()): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const span = maxMinuteSpanDays * DAY_MS;
  let current: PlannedRequest | null = null;
  for (const minute of missing) {
    const day = istDate(minute);
    if (skipDays.has(day)) continue;
    if (current && minute + 60_000 - current.from <= span) {
      current.to = minute + 60_000;
      current.minutes++;
      if (current.days.at(-1) !== day) current.days.push(day);
      continue;
    }
    current = { from: minute, to: minute + 60_000, days: [day], minutes: 1 };
    out.push(current);
  }
  return out;
}
