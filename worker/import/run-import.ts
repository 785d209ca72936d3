/**
 * Imports used by `npm run import` and the tests: stream a file, validate each record, write
 * set-based batches, and report a summary. Bad records are counted and listed (first 10),
 * never fatal; a file of the wrong kind is rejected before anything is written.
 */
import { stat } from 'node:fs/promises';
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { istDayStart } from '@/lib/market/session';
import type { Instrument } from '@/lib/market/instrument';
import { readCsvRecords, type CsvProgress } from './csv-records';
import { parseKiteCandle } from './kite-candles';
import { parseKiteInstrument } from './kite-instruments';

export interface ImportSummary {
  file: string;
  records: number;
  imported: number;
  skipped: number;
  /** First few skip reasons with their record number. */
  problems: string[];
  /** First and last candle bucket (candle imports), ISO UTC. */
  from?: string;
  to?: string;
  ms: number;
}

export interface ImportProgress {
  /** Called after each batch with bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

const BATCH = 5000;

/** Load a Kite instruments dump into `instruments` (upsert by instrument_token). */
export async function importKiteInstruments(db: Database, file: string, options: ImportProgress = {}): Promise<ImportSummary> {
  const started = Date.now();
  const { size } = await stat(file);
  const progress: CsvProgress = { bytesRead: 0 };
  const summary: ImportSummary = { file, records: 0, imported: 0, skipped: 0, problems: [], ms: 0 };
  let batch: Instrument[] = [];
  const flush = async () => {
    await upsertInstruments(db, batch);
    summary.imported += batch.length;
    batch = [];
    options.onProgress?.(progress.bytesRead, size);
  };
  for await (const record of readCsvRecords(file, progress)) {
    summary.records++;
    if (summary.records === 1 && !('instrument_token' in record && 'tradingsymbol' in record)) {
      throw new Error(`${file} is not a Kite instruments dump (no instrument_token/tradingsymbol columns)`);
    }
    const parsed = parseKiteInstrument(record);
    if ('error' in parsed) {
      summary.skipped++;
      if (summary.problems.length < 10) summary.problems.push(`record ${summary.records}: ${parsed.error}`);
      continue;
    }
    batch.push(parsed.instrument);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  summary.ms = Date.now() - started;
  return summary;
}

/**
 * Load Kite 1-minute historical candles for one instrument into candles_1m (upsert), then
 * refresh the continuous aggregates over the imported days.
 * @throws Error when the file is not 1-minute candles.
 */
export async function importKiteCandles(
  db: Database,
  file: string,
  instrumentToken: number,
  options: ImportProgress = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const { size } = await stat(file);
  const progress: CsvProgress = { bytesRead: 0 };
  const summary: ImportSummary = { file, records: 0, imported: 0, skipped: 0, problems: [], ms: 0 };
  let batch: OneMinuteCandle[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let previous: number | null = null;
  let smallestStep = Number.POSITIVE_INFINITY;
  const flush = async () => {
    if (smallestStep !== Number.POSITIVE_INFINITY && smallestStep !== 60_000) {
      throw new Error(
        `${file} holds ${smallestStep / 60_000}-minute candles; only 1-minute candles can be imported (higher timeframes are derived)`,
      );
    }
    await upsertOneMinuteCandles(db, batch);
    summary.imported += batch.length;
    batch = [];
    options.onProgress?.(progress.bytesRead, size);
  };
  for await (const record of readCsvRecords(file, progress)) {
    summary.records++;
    if (summary.records === 1 && !('date' in record && 'close' in record)) {
      throw new Error(`${file} is not a Kite candles CSV (expected columns date,open,high,low,close,volume)`);
    }
    const parsed = parseKiteCandle(record, instrumentToken);
    if ('error' in parsed) {
      summary.skipped++;
      if (summary.problems.length < 10) summary.problems.push(`record ${summary.records}: ${parsed.error}`);
      continue;
    }
    const bucket = parsed.candle.bucket;
    if (previous !== null && bucket > previous && istDayStart(bucket) === istDayStart(previous)) {
      smallestStep = Math.min(smallestStep, bucket - previous);
    }
    previous = bucket;
    first = Math.min(first, bucket);
    last = Math.max(last, bucket);
    batch.push(parsed.candle);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  if (summary.imported > 0) {
    const DAY = 86_400_000;
    await refreshCandleAggregates(db, new Date(istDayStart(first) - DAY), new Date(istDayStart(last) + 2 * DAY));
    summary.from = new Date(first).toISOString();
    summary.to = new Date(last).toISOString();
  }
  summary.ms = Date.now() - started;
  return summary;
}
