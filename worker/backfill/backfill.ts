/**
 * Gap backfill of one instrument over a range: find the missing session minutes (the
 * instrument's own session calendar, lib/market/sessions.ts; partial candles count as missing;
 * lib/db/queries/gaps.ts), plan requests within the broker's limits (./plan.ts), fetch 1m
 * candles from a HistoricalCandleSource, store only the minutes that were missing (complete live
 * candles are left as they are; partial ones are replaced and their flag cleared), record the
 * fetched days (a rerun skips days fetched after their close), refresh the continuous
 * aggregates over the touched days, and report what was filled and what is still missing.
 * Used by `npm run backfill` (worker/cli/backfill.ts) and the worker's gap repair
 * (./gap-repairer.ts, through `storeBrokerMinutes`).
 */
import type { Database } from '@/lib/db/client';
import { configuredSessions } from '@/lib/config/history-env';
import { refreshCandleAggregates, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import {
  findMinuteGaps,
  getFinalHistoryDays,
  recordHistoryFetches,
  toRanges,
  type GapRange,
} from '@/lib/db/queries/gaps';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import { DAY_MS, istDate, istDateStart } from '@/lib/market/session';
import type { HistoricalCandleSource, HistoricalLimits } from '../sources/historical';
import { planRequests, type PlannedRequest } from './plan';

export interface BackfillResult {
  instrumentToken: number;
  /** Session minutes expected in the range. */
  expected: number;
  missingBefore: number;
  requests: PlannedRequest[];
  /** Candles the source returned, and those stored (they filled a missing minute). */
  fetched: number;
  stored: number;
  backfilled: GapRange[];
  stillMissing: GapRange[];
}

export interface BackfillOptions {
  from: number;
  to: number;
  /** Session calendar; default: the instrument's own (configuredSessions().calendarFor(instrument)). */
  calendar?: ExchangeCalendar;
  /** Count every trading day as expected (true for the CLI); false: only days with data. */
  allDays?: boolean;
  dryRun?: boolean;
  now?: number;
  signal?: AbortSignal;
  /** Called after each request (progress bars). */
  onRequest?: (request: PlannedRequest, stored: number) => void;
}


/** What `storeBrokerMinutes` did so far (also valid when it throws part-way). */
export interface StoreProgress {
  /** Candles the source returned. */
  fetched: number;
  /** Candles stored (each filled a wanted minute). */
  stored: number;
  /** Bucket starts (epoch ms) stored, in request order. */
  filled: number[];
  /** Requests completed (fetched and stored). */
  requestsDone: number;
}

/**
 * Fetch `requests` of `instrument` from `source` and store the candles whose bucket is in
 * `wanted` (epoch ms minute starts; removed from the set as they are filled; partial candles
 * there are replaced: stored with partial = false). Records every requested IST day in
 * `history_fetches` with its candle count, and refreshes the 5m…1d aggregates over the touched
 * days (also when a request fails). Requests run one after another; the source paces them
 * (Kite: 3/s, one limiter per source instance).
 * @throws the source's error (dead token, retries exhausted) after storing what earlier requests returned; `progress` says how far it got.
 */
export async function storeBrokerMinutes(
  db: Database,
  source: HistoricalCandleSource,
  instrument: Instrument,
  requests: readonly PlannedRequest[],
  wanted: Set<number>,
  progress: StoreProgress,
  options: { signal?: AbortSignal; onRequest?: (request: PlannedRequest, stored: number) => void } = {},
): Promise<StoreProgress> {
  const touchedDays = new Set<string>();
  try {
    for (const request of requests) {
      const candles = await source.fetchMinuteCandles(instrument, new Date(request.from), new Date(request.to), options.signal);
      progress.fetched += candles.length;
      const perDay = new Map<string, number>(request.days.map((d) => [d, 0]));
      const fresh: OneMinuteCandle[] = [];
      for (const candle of candles) {
        const day = istDate(candle.bucket);
        if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
        if (!wanted.has(candle.bucket)) continue;
        wanted.delete(candle.bucket);
        fresh.push({ ...candle, instrumentToken: instrument.instrumentToken, partial: false });
      }
      await upsertOneMinuteCandles(db, fresh);
      await recordHistoryFetches(db, instrument.instrumentToken, source.name, perDay);
      for (const candle of fresh) progress.filled.push(candle.bucket);
      for (const day of request.days) touchedDays.add(day);
      progress.stored += fresh.length;
      progress.requestsDone++;
      options.onRequest?.(request, fresh.length);
    }
  } finally {
    if (touchedDays.size > 0) {
      const days = [...touchedDays].sort();
      await refreshCandleAggregates(db, new Date(istDateStart(days[0])), new Date(istDateStart(days.at(-1)!) + DAY_MS));
    }
  }
  return progress;
}

/**
 * Backfill `instrument` over [from, to) from `source` (null: only report the gaps). Throws the
 * source's error (e.g. a dead access token) after storing what earlier requests returned.
 */
export async function backfillInstrument(
  db: Database,
  source: HistoricalCandleSource | null,
  instrument: Instrument,
  options: BackfillOptions,
  limits: HistoricalLimits | undefined = source?.limits,
): Promise<BackfillResult> {
  const calendar = options.calendar ?? configuredSessions().calendarFor(instrument);
  const gaps = await findMinuteGaps(db, {
    instrumentToken: instrument.instrumentToken,
    from: options.from,
    to: options.to,
    calendar,
    allDays: options.allDays,
    now: options.now,
  });
  const result: BackfillResult = {
    instrumentToken: instrument.instrumentToken,
    expected: gaps.expected,
    missingBefore: gaps.missing.length,
    requests: [],
    fetched: 0,
    stored: 0,
    backfilled: [],
    stillMissing: gaps.gaps,
  };
  if (gaps.missing.length === 0 || !limits) return result;
  const skip = source
    ? await getFinalHistoryDays(db, instrument.instrumentToken, source.name, options.from, options.to, calendar)
    : new Set<string>();
  result.requests = planRequests(gaps.missing, limits.maxMinuteSpanDays, skip);
  if (options.dryRun || !source || result.requests.length === 0) return result;

  const missing = new Set(gaps.missing);
  const progress: StoreProgress = { fetched: 0, stored: 0, filled: [], requestsDone: 0 };
  try {
    await storeBrokerMinutes(db, source, instrument, result.requests, missing, progress, options);
  } finally {
    result.fetched = progress.fetched;
    result.stored = progress.stored;
    result.backfilled = toRanges([...progress.filled].sort((a, b) => a - b));
    result.stillMissing = toRanges([...missing].sort((a, b) => a - b));
  }
  return result;
}
