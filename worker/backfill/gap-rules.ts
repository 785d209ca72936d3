/**
 * Pure scheduling rules of the worker's gap repair (./gap-repairer.ts): which minutes are
 * settled enough to count as gaps, how far back an instrument is checked, which missing minutes
 * are asked from the broker (once per gap), when a hole in the live candles calls for a repair
 * run, and how long to back off after a failure. No I/O, no clocks: every time is an argument
 * (epoch ms UTC; minutes are 1m bucket starts).
 */
import type { ExchangeCalendar } from '@/lib/market/calendar';
import { DAY_MS, istDate, istDayStart } from '@/lib/market/session';

export const MINUTE_MS = 60_000;

/**
 * Exclusive end of the minutes that may count as gaps at `now`: minute m qualifies when
 * m + 1 min + `graceMs` + `settleMs` <= now, i.e. its live candle would have been closed (the
 * aggregator closes a 1m candle `graceMs` after its end: CANDLE_GRACE_MS) and written (the
 * candle writer flushes within `settleMs`). So the current minute and the most recent minute,
 * until it is closed and written, are never gaps.
 */
export function settledBefore(now: number, graceMs: number, settleMs: number): number {
  return Math.floor((now - graceMs - settleMs) / MINUTE_MS) * MINUTE_MS;
}

/**
 * Start of the range checked the first time an instrument is seen on a day: the IST day start of
 * its previous stored session (newest 1m candle before today, looked up no further back than
 * `lookbackDays`), or today's start when it has none in that window.
 */
export function checkStart(todayStart: number, previousStoredDay: number | null, lookbackDays: number): number {
  if (previousStoredDay === null) return todayStart;
  return Math.max(previousStoredDay, todayStart - lookbackDays * DAY_MS);
}

/** What one instrument's stored and live state says about a candidate minute. */
export interface MinuteFacts {
  /** Stored 1m candles not flagged partial, and those flagged partial (bucket starts). */
  storedComplete: ReadonlySet<number>;
  storedPartial: ReadonlySet<number>;
  /** IST dates (before today) whose broker history was fetched after their close: never asked again. */
  finalDays: ReadonlySet<string>;
  /** Today: the live aggregator closed a complete / a partial candle for this minute (maybe not yet written). */
  producedComplete(minute: number): boolean;
  producedPartial(minute: number): boolean;
  /** Today: this minute was already asked from the broker by this process. */
  asked(minute: number): boolean;
  /** Today: the trading window containing this minute has closed and settled (nothing more can come). */
  windowEnded(minute: number): boolean;
  /** Today: the live feed has closed a candle after this minute (possibly past the settled range). */
  liveAfter(minute: number): boolean;
}

export interface MinuteSelection {
  /** Minutes to ask the broker for (ascending). */
  wanted: number[];
  /**
   * First minute that could not be decided yet, or null: the next check resumes from it instead
   * of from the end of the range. Either a partial candle closed live but not yet written, or
   * the start of a gap still open (no candle after it yet, its window not ended).
   */
  deferredFrom: number | null;
}

/**
 * Which of `expected` (ascending session minutes) to ask the broker for. A minute is wanted when
 * it has no complete stored candle (a partial one counts as missing) and:
 * - before today (`todayStart`): its IST day is not final in the history ledger (a closed day is
 *   asked at most once after its close);
 * - today: it was not asked before (only minutes that became missing since the last check are
 *   asked), the live aggregator did not close a complete candle for it, and its gap is closed:
 *   a later minute has a candle (the feed is back, `liveAfter`) or its trading window has ended. A gap still
 *   open (the feed is down, or the instrument has not ticked yet) is left for a later check, so
 *   it is asked once, whole, instead of a minute at a time. A minute whose live candle is partial
 *   but not yet stored is deferred (asking now would race the candle writer, which would then
 *   overwrite the broker's candle with the partial one).
 */
export function selectWanted(expected: readonly number[], todayStart: number, facts: MinuteFacts): MinuteSelection {
  const wanted: number[] = [];
  let deferredFrom: number | null = null;
  let open: number[] = [];
  for (const m of expected) {
    if (m < todayStart) {
      if (!facts.storedComplete.has(m) && !facts.finalDays.has(istDate(m))) wanted.push(m);
      continue;
    }
    const complete = facts.storedComplete.has(m) || facts.producedComplete(m);
    const partialStored = facts.storedPartial.has(m);
    const partialUnwritten = !complete && !partialStored && facts.producedPartial(m);
    if (complete || partialStored || partialUnwritten) {
      // The feed had this minute: the gap before it is closed.
      wanted.push(...open);
      open = [];
    }
    if (complete || facts.asked(m)) continue;
    if (partialUnwritten) {
      deferredFrom ??= m;
      continue;
    }
    if (partialStored || facts.windowEnded(m)) wanted.push(m);
    else open.push(m);
  }
  if (open.length > 0 && facts.liveAfter(open.at(-1)!)) {
    wanted.push(...open);
    open = [];
  }
  if (open.length > 0 && (deferredFrom === null || open[0] < deferredFrom)) deferredFrom = open[0];
  wanted.sort((a, b) => a - b);
  return { wanted, deferredFrom };
}

/**
 * True when the live 1m candles of an instrument jump from `previous` to `next` (bucket starts,
 * same IST day) over at least one session minute of `calendar`: a hole (a feed reconnect, a
 * dropped connection), worth a repair run now rather than at the next periodic one.
 */
export function isHole(previous: number, next: number, calendar: ExchangeCalendar): boolean {
  if (next - previous <= MINUTE_MS || istDayStart(previous) !== istDayStart(next)) return false;
  return calendar.sessionMinutes(previous + MINUTE_MS, next).length > 0;
}

/**
 * Wait after `failures` failed runs in a row (1 → 1 min, 2 → 2 min, 4, 8, 16, then 30 min),
 * so a dead access token or an unreachable broker is not hammered.
 */
export function backoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MINUTE_MS * 2 ** (failures - 1), 30 * MINUTE_MS);
}
