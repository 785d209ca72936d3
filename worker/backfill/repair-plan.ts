/**
 * What one gap-repair run asks the broker for, per instrument (./gap-repairer.ts runs it for every
 * tracked instrument): the settled session minutes since the last check that are missing from
 * `candles_1m` (or only partial there), minus what the live feed produced complete, closed days
 * already fetched in full, and minutes of today already asked (./gap-rules.ts selectWanted has
 * the rules), grouped into broker requests within the source's span limit (./plan.ts).
 * Minutes are epoch ms UTC; days are IST days.
 */
import type { Database } from '@/lib/db/client';
import { getFinalHistoryDays, getMinuteBuckets, getPreviousStoredDay } from '@/lib/db/queries/gaps';
import { DAY_MS, istDayStart } from '@/lib/market/session';
import type { HistoricalCandleSource } from '../sources/historical';
import { checkStart, selectWanted, settledBefore } from './gap-rules';
import type { MinuteLedger } from './minute-ledger';
import { planRequests, type PlannedRequest } from './plan';

/** One instrument's share of a run: its requests, the minutes wanted, and how far the check moves once they are done. */
export interface RepairWork {
  ledger: MinuteLedger;
  requests: PlannedRequest[];
  wanted: Set<number>;
  advanceTo: number;
}

export interface PlanContext {
  db: Database;
  source: HistoricalCandleSource;
  /** The feed clock's now, epoch ms. */
  now: number;
  /** CANDLE_GRACE_MS and the writer's settle time, ms (./gap-rules.ts settledBefore). */
  graceMs: number;
  settleMs: number;
  /** How far back the previous stored session is looked for on a day's first check, days. */
  lookbackDays: number;
}

/**
 * The missing minutes of `ledger`'s instrument and the requests for them, or null when nothing is
 * to ask (then `ledger.checkedThrough` has moved on). Rolls the ledger to today first. Throws the
 * database's errors.
 */
export async function planRepair(ledger: MinuteLedger, context: PlanContext): Promise<RepairWork | null> {
  const { db, source, now } = context;
  const token = ledger.instrument.instrumentToken;
  const today = istDayStart(now);
  if (ledger.day < today) ledger.rollDay(today);
  if (ledger.day > today) return null; // live candles are ahead of the feed clock: next run
  const to = settledBefore(now, context.graceMs, context.settleMs);
  let from = ledger.checkedThrough;
  if (from === null) {
    const previous = await getPreviousStoredDay(db, token, today, today - context.lookbackDays * DAY_MS);
    from = checkStart(today, previous, context.lookbackDays);
  }
  if (to <= from) return null;
  // Minutes the live feed closed complete today are present: no query needed for them.
  const expected = ledger.calendar.sessionMinutes(from, to);
  const firstUnknown = expected.find((m) => !ledger.produced(m));
  if (firstUnknown === undefined) {
    ledger.checkedThrough = to;
    return null;
  }
  const candidates = expected.filter((m) => m >= firstUnknown);
  const stored = await getMinuteBuckets(db, token, firstUnknown, to);
  const finalDays = firstUnknown < today ? await getFinalHistoryDays(db, token, source.name, firstUnknown, today, ledger.calendar) : new Set<string>();
  const lastLive = ledger.lastProduced !== null && ledger.lastProduced >= today ? ledger.lastProduced : null;
  const { wanted, deferredFrom } = selectWanted(candidates, today, {
    storedComplete: stored.complete,
    storedPartial: stored.partial,
    finalDays,
    producedComplete: (m) => ledger.produced(m),
    producedPartial: (m) => ledger.producedPartial(m),
    asked: (m) => ledger.asked(m),
    windowEnded: (m) => ledger.calendar.sessions(m).some((w) => m >= w.open && m < w.close && w.close <= to),
    liveAfter: (m) => lastLive !== null && lastLive > m,
  });
  const advanceTo = deferredFrom ?? to;
  if (wanted.length === 0) {
    ledger.checkedThrough = advanceTo;
    return null;
  }
  return { ledger, requests: planRequests(wanted, source.limits.maxMinuteSpanDays), wanted: new Set(wanted), advanceTo };
}
