/**
 * Gap ledger and completeness, computed from `candles_1m` against the exchange calendar
 * (lib/market/calendar.ts).
 *
 * A gap is a run of session minutes with no 1m candle for an instrument that should have
 * traded. Never a holiday, weekend or after-hours minute (the calendar has no such minutes),
 * never the current or a future minute. "Should have traded": by default, on the IST days where
 * the instrument has at least one 1m candle (it was subscribed and ticking that day); with
 * `allDays`, every trading day in the range (backfill of days never collected).
 */
import { istDate, istDayStart } from '@/lib/market/session';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import { bucketStart } from '@/lib/market/session';
import type { Database } from '../client';
import { CANDLE_RELATION } from './candles';

/** A run of missing session minutes, [from, to) epoch ms UTC. */
export interface GapRange {
  from: number;
  to: number;
  minutes: number;
}

export interface MinuteGaps {
  /** Session minutes expected in the range (on the days considered). */
  expected: number;
  present: number;
  gaps: GapRange[];
  /** Missing minute starts (epoch ms), ascending. */
  missing: number[];
}

/** Bucket starts (epoch ms) of stored 1m candles of an instrument in [from, to). */
export async function getMinuteBuckets(db: Database, instrumentToken: number, from: number, to: number): Promise<Set<number>> {
  const rows = await db.query<{ ms: number | string }>(
    `SELECT (extract(epoch FROM bucket) * 1000)::int8 AS ms FROM candles_1m
     WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
    [instrumentToken, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  return new Set(rows.map((r) => Number(r.ms)));
}

/** Merge ascending minute starts into runs, breaking where minutes are not consecutive. */
export function toRanges(minutes: readonly number[]): GapRange[] {
  const out: GapRange[] = [];
  for (const m of minutes) {
    const last = out.at(-1);
    if (last && last.to === m) {
      last.to += 60_000;
      last.minutes++;
    } else out.push({ from: m, to: m + 60_000, minutes: 1 });
  }
  return out;
}

/**
 * Missing 1m candles of an instrument in [from, to) (epoch ms UTC), clipped to `now` (the
 * current minute is still forming). See the file comment for which days count.
 */
export async function findMinuteGaps(
  db: Database,
  options: { instrumentToken: number; from: number; to: number; calendar: ExchangeCalendar; allDays?: boolean; now?: number },
): Promise<MinuteGaps> {
  const now = options.now ?? Date.now();
  const to = Math.min(options.to, Math.floor(now / 60_000) * 60_000);
  if (to <= options.from) return { expected: 0, present: 0, gaps: [], missing: [] };
  const present = await getMinuteBuckets(db, options.instrumentToken, options.from, to);
  const activeDays = new Set<number>();
  for (const m of present) activeDays.add(istDayStart(m));
  const expected = options.calendar
    .sessionMinutes(options.from, to)
    .filter((m) => options.allDays || activeDays.has(istDayStart(m)));
  const missing = expected.filter((m) => !present.has(m));
  return { expected: expected.length, present: expected.length - missing.length, gaps: toRanges(missing), missing };
}

export interface TimeframeCompleteness {
  timeframe: Timeframe;
  expected: number;
  present: number;
  /** present / expected (1 when nothing is expected). */
  ratio: number;
}

/**
 * Share of expected buckets present on one IST date, per timeframe: 1m against the session
 * minutes; 5m…1h against the buckets those minutes fall in; 1d: one candle. A holiday or
 * weekend expects nothing (ratio 1, expected 0).
 */
export async function getCompleteness(
  db: Database,
  options: { instrumentToken: number; date: string; calendar: ExchangeCalendar; now?: number },
): Promise<TimeframeCompleteness[]> {
  const dayStart = Date.parse(`${options.date}T00:00:00+05:30`);
  const dayEnd = dayStart + 86_400_000;
  const now = options.now ?? Date.now();
  const minutes = options.calendar.sessionMinutes(dayStart, Math.min(dayEnd, Math.floor(now / 60_000) * 60_000));
  const out: TimeframeCompleteness[] = [];
  for (const timeframe of TIMEFRAMES) {
    const expectedBuckets = new Set(minutes.map((m) => bucketStart(m, timeframe)));
    let present = 0;
    if (expectedBuckets.size > 0) {
      const rows = await db.query<{ ms: number | string }>(
        `SELECT (extract(epoch FROM bucket) * 1000)::int8 AS ms FROM ${CANDLE_RELATION[timeframe]}
         WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
        [options.instrumentToken, new Date(dayStart).toISOString(), new Date(dayEnd + TIMEFRAME_MS['1h']).toISOString()],
      );
      present = rows.filter((r) => expectedBuckets.has(Number(r.ms))).length;
    }
    out.push({
      timeframe,
      expected: expectedBuckets.size,
      present,
      ratio: expectedBuckets.size === 0 ? 1 : present / expectedBuckets.size,
    });
  }
  return out;
}

/** IST dates on which broker history was already fetched after the day's close (nothing more will come). */
export async function getFinalHistoryDays(db: Database, instrumentToken: number, source: string, from: number, to: number): Promise<Set<string>> {
  const rows = await db.query<{ day: string | Date }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM history_fetches
     WHERE instrument_token = $1 AND source = $2 AND day >= $3::date AND day <= $4::date
       AND fetched_at >= (day + time '15:30') AT TIME ZONE 'Asia/Kolkata'`,
    [instrumentToken, source, istDate(from), istDate(to - 1)],
  );
  return new Set(rows.map((r) => String(r.day)));
}

/** Record that broker history for these IST dates was fetched now (`candles` per day). */
export async function recordHistoryFetches(
  db: Database,
  instrumentToken: number,
  source: string,
  days: ReadonlyMap<string, number>,
): Promise<void> {
  if (days.size === 0) return;
  await db.query(
    `INSERT INTO history_fetches (instrument_token, day, source, candles)
     SELECT $1, d::date, $2, c FROM unnest($3::text[], $4::int4[]) AS u(d, c)
     ON CONFLICT (instrument_token, day, source) DO UPDATE SET candles = EXCLUDED.candles, fetched_at = now()`,
    [instrumentToken, source, `{${[...days.keys()].join(',')}}`, `{${[...days.values()].join(',')}}`],
  );
}
