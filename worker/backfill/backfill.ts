/**
 * Gap backfill of one instrument over a range: find the missing session minutes (calendar-aware,
 * lib/db/queries/gaps.ts), plan requests within the broker's limits (./plan.ts), fetch 1m
 * candles from a HistoricalCandleSource, store only the minutes that were missing (live
 * candles are left as they are), record the fetched days (a rerun skips them), refresh the
 * continuous aggregates over the touched days, and report what was filled and what is still
 * missing. Used by GET /api/candles and `npm run backfill`.
 */
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { findMinuteGaps, getFinalHistoryDays, recordHistoryFetches, toRanges, type GapRange } from '@/lib/db/queries/gaps';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import { istDate, istDateStart } from '@/lib/market/session';
import type { HistoricalCandleSource, HistoricalLimits } from '../brokers/historical';
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
  calendar: ExchangeCalendar;
  /** Count every trading day as expected (true for the CLI); false: only days with data. */
  allDays?: boolean;
  dryRun?: boolean;
  now?: number;
  signal?: AbortSignal;
  /** Called after each request (progress bars). */
  onRequest?: (request: PlannedRequest, stored: number) => void;
}

const DAY_MS = 86_400_000;

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
  const gaps = await findMinuteGaps(db, {
    instrumentToken: instrument.instrumentToken,
    from: options.from,
    to: options.to,
    calendar: options.calendar,
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
    ? await getFinalHistoryDays(db, instrument.instrumentToken, source.name, options.from, options.to)
    : new Set<string>();
  result.requests = planRequests(gaps.missing, limits.maxMinuteSpanDays, skip);
  if (options.dryRun || !source || result.requests.length === 0) return result;

  const missing = new Set(gaps.missing);
  const filled: number[] = [];
  const touchedDays = new Set<string>();
  try {
    for (const request of result.requests) {
      const candles = await source.fetchMinuteCandles(instrument, new Date(request.from), new Date(request.to), options.signal);
      result.fetched += candles.length;
      const perDay = new Map<string, number>(request.days.map((d) => [d, 0]));
      const fresh: OneMinuteCandle[] = [];
      for (const candle of candles) {
        const day = istDate(candle.bucket);
        if (perDay.has(day)) perDay.set(day, perDay.get(day)! + 1);
        if (!missing.has(candle.bucket)) continue;
        missing.delete(candle.bucket);
        fresh.push({ ...candle, instrumentToken: instrument.instrumentToken });
      }
      await upsertOneMinuteCandles(db, fresh);
      await recordHistoryFetches(db, instrument.instrumentToken, source.name, perDay);
      for (const candle of fresh) filled.push(candle.bucket);
      for (const day of request.days) touchedDays.add(day);
      result.stored += fresh.length;
      options.onRequest?.(request, fresh.length);
    }
  } finally {
    if (touchedDays.size > 0) {
      const days = [...touchedDays].sort();
      await refreshCandleAggregates(db, new Date(istDateStart(days[0])), new Date(istDateStart(days.at(-1)!) + DAY_MS));
    }
    filled.sort((a, b) => a - b);
    result.backfilled = toRanges(filled);
    result.stillMissing = toRanges([...missing].sort((a, b) => a - b));
  }
  return result;
}
