/**
 * Gap handling for GET /api/candles: detect missing 1m candles in the requested range and, with
 * a broker history source, backfill them (./backfill.ts). Ranges longer than
 * MAX_GAP_CHECK_DAYS are not checked (a 1d chart over years: use `npm run backfill`).
 */
import type { Database } from '@/lib/db/client';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import type { HistoricalCandleSource } from '../brokers/historical';
import { backfillInstrument } from './backfill';

export const MAX_GAP_CHECK_DAYS = 92;

/** What the candle API says about completeness (times ISO UTC, [from, to)). */
export interface CandleGapReport {
  /** 'checked' | 'skipped' (range too long) | 'failed' (the source failed; `error` says why). */
  status: 'checked' | 'skipped' | 'failed';
  source: string | null;
  backfilled: { from: string; to: string; minutes: number }[];
  missing: { from: string; to: string; minutes: number }[];
  error?: string;
}

const iso = (r: { from: number; to: number; minutes: number }) => ({
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
  minutes: r.minutes,
});

/**
 * Check [from, to) of `instrument`; backfill from `source` when given. With a source every
 * trading day counts (missing days are fetched); without one only the days the instrument has
 * data (it was subscribed). Never throws for a source failure: reports it.
 */
export async function fillCandleGaps(
  db: Database,
  source: HistoricalCandleSource | null,
  instrument: Instrument,
  range: { from: Date; to: Date; calendar: ExchangeCalendar },
): Promise<CandleGapReport> {
  if (range.to.getTime() - range.from.getTime() > MAX_GAP_CHECK_DAYS * 86_400_000) {
    return { status: 'skipped', source: source?.name ?? null, backfilled: [], missing: [] };
  }
  try {
    const result = await backfillInstrument(db, source, instrument, {
      from: range.from.getTime(),
      to: range.to.getTime(),
      calendar: range.calendar,
      allDays: source !== null,
    });
    return { status: 'checked', source: source?.name ?? null, backfilled: result.backfilled.map(iso), missing: result.stillMissing.map(iso) };
  } catch (error) {
    const after = await backfillInstrument(db, null, instrument, {
      from: range.from.getTime(),
      to: range.to.getTime(),
      calendar: range.calendar,
      allDays: true,
    });
    return {
      status: 'failed',
      source: source?.name ?? null,
      backfilled: [],
      missing: after.stillMissing.map(iso),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
