/**
 * Gap ledger and completeness, computed from `candles_1m` against the instrument's session
 * calendar (lib/market/sessions.ts `configuredSessions().calendarFor(instrument)`: NSE/BSE/NFO/BFO
 * 09:15–15:30, CDS 09:00–17:00, MCX to 23:30/23:55, holidays and special sessions).
 *
 * A gap is a run of session minutes with no complete 1m candle for an instrument that should
 * have traded. A candle flagged `partial` (migration 0006: the first candle after a mid-session
 * start with no volume baseline) counts as missing, so gap repair replaces it with the broker's.
 * Never a holiday, weekend or after-hours minute (the calendar has no such minutes), never the
 * current or a future minute. "Should have traded": by default, on the IST days where the
 * instrument has at least one 1m candle (it was subscribed and ticking that day); with
 * `allDays`, every trading day in the range (backfill of days never collected).
 */
import { istDate, istDateStart, istDayStart } from '@/lib/market/session';
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

/**
 * Bucket starts (epoch ms) of stored 1m candles of an instrument in [from, to). `complete`:
 * candles not flagged partial; `partial`: those flagged partial (to be replaced by the broker's).
 */
export async function getMinuteBuckets(
  db: Database,
  instrumentToken: number,
  from: number,
  to: number,
): Promise<{ complete: Set<number>; partial: Set<number> }> {
  const rows = await db.query<{ ms: number | string; partial: boolean }>(
    `SELECT (extract(epoch FROM bucket) * 1000)::int8 AS ms, partial FROM candles_1m
     WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
    [instrumentToken, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  const complete = new Set<number>();
  const partial = new Set<number>();
  for (const r of rows) (r.partial ? partial : complete).add(Number(r.ms));
  return { complete, partial };
}

/**
 * IST day start (epoch ms) of the newest stored 1m candle of an instrument in [notBefore,
 * before), or null when it has none there: "the instrument's previous stored session".
 */
export async function getPreviousStoredDay(db: Database, instrumentToken: number, before: number, notBefore: number): Promise<number | null> {
  const rows = await db.query<{ ms: number | string | null }>(
    `SELECT (extract(epoch FROM max(bucket)) * 1000)::int8 AS ms FROM candles_1m
     WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
    [instrumentToken, new Date(notBefore).toISOString(), new Date(before).toISOString()],
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : istDayStart(Number(ms));
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
 * current minute is still forming). Partial candles count as missing. `calendar`: the
 * instrument's own (configuredSessions().calendarFor(instrument)). See the file comment for
 * which days count.
 */
export async function findMinuteGaps(
  db: Database,
  options: { instrumentToken: number; from: number; to: number; calendar: ExchangeCalendar; allDays?: boolean; now?: number },
): Promise<MinuteGaps> {
  const now = options.now ?? Date.now();
  const to = Math.min(options.to, Math.floor(now / 60_000) * 60_000);
  if (to <= options.from) return { expected: 0, present: 0, gaps: [], missing: [] };
  const { complete, partial } = await getMinuteBuckets(db, options.instrumentToken, options.from, to);
  return minuteGapsOf({ ...options, to }, complete, partial);
}

/**
 * The gap arithmetic of findMinuteGaps over given minute sets (epoch ms minute starts) instead of
 * a query: `complete` and `partial` are the 1m candles present in [from, to) (`to` already clipped
 * to the current minute). Pure; GET /api/candles uses it with stored minutes before the worker's
 * memory coverage and the memory's own minutes after it (lib/api/candles/response-cache.ts).
 */
export function minuteGapsOf(
  options: { from: number; to: number; calendar: ExchangeCalendar; allDays?: boolean },
  complete: ReadonlySet<number>,
  partial: ReadonlySet<number>,
): MinuteGaps {
  const activeDays = new Set<number>();
  for (const m of complete) activeDays.add(istDayStart(m));
  for (const m of partial) activeDays.add(istDayStart(m));
  const expected = options.calendar
    .sessionMinutes(options.from, options.to)
    .filter((m) => options.allDays || activeDays.has(istDayStart(m)));
  const missing = expected.filter((m) => !complete.has(m));
  return { expected: expected.length, present: expected.length - missing.length, gaps: toRanges(missing), missing };
}

/** GET /api/candles' shape of a gap list (times ISO UTC). */
export function toGapReport(gaps: readonly GapRange[]): CandleGapReport {
  return {
    status: 'checked',
    missing: gaps.map((g) => ({ from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString(), minutes: g.minutes })),
  };
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
 * minutes (partial 1m candles not counted); 5m…1h against the buckets those minutes fall in; 1d: one candle. A holiday or
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
         WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz${timeframe === '1m' ? ' AND NOT partial' : ''}`,
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

/**
 * IST dates in [from, to) on which broker history of an instrument was already fetched after
 * the day's close (nothing more will come for them). The close is the end of the day's last
 * trading window in `calendar` (the instrument's own: 15:30 for NSE, 17:00 for CDS, 23:30/23:55
 * for MCX); without a calendar, 15:30 IST.
 */
export async function getFinalHistoryDays(
  db: Database,
  instrumentToken: number,
  source: string,
  from: number,
  to: number,
  calendar?: ExchangeCalendar,
): Promise<Set<string>> {
  const rows = await db.query<{ day: string | Date; fetched_ms: number | string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, (extract(epoch FROM fetched_at) * 1000)::int8 AS fetched_ms FROM history_fetches
     WHERE instrument_token = $1 AND source = $2 AND day >= $3::date AND day <= $4::date`,
    [instrumentToken, source, istDate(from), istDate(to - 1)],
  );
  const out = new Set<string>();
  for (const row of rows) {
    const day = String(row.day);
    const dayStart = istDateStart(day);
    const close = calendar?.sessions(dayStart).at(-1)?.close ?? dayStart + (15 * 60 + 30) * 60_000;
    if (Number(row.fetched_ms) >= close) out.add(day);
  }
  return out;
}

/** What GET /api/candles reports about missing 1m candles (times ISO UTC, [from, to)). */
export interface CandleGapReport {
  /** 'checked', or 'skipped' when the range is longer than MAX_GAP_CHECK_DAYS. */
  status: 'checked' | 'skipped';
  missing: { from: string; to: string; minutes: number }[];
}

/** Longest range GET /api/candles checks for missing minutes (a 1d chart over years is not checked). */
export const MAX_GAP_CHECK_DAYS = 92;

/**
 * Database-only gap report for a candle read: the missing session minutes of [from, to) on the
 * days the instrument has data (findMinuteGaps defaults). Never calls a broker; the worker's
 * gap repair (worker/backfill/gap-repairer.ts) fills them when a history source is configured.
 */
export async function reportCandleGaps(
  db: Database,
  options: { instrumentToken: number; from: number; to: number; calendar: ExchangeCalendar; now?: number },
): Promise<CandleGapReport> {
  if (options.to - options.from > MAX_GAP_CHECK_DAYS * 86_400_000) return { status: 'skipped', missing: [] };
  const result = await findMinuteGaps(db, options);
  return toGapReport(result.gaps);
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
