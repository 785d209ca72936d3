/**
 * `npm run import -- --format fyers-symbols <file>`: a Fyers symbol master (headerless CSV,
 * worker/import/fyers-symbols.ts) into `instruments`, upserting by instrument_token so an
 * instrument already imported from Kite's master stays one row. Indices reuse the token of a
 * stored row with the same exchange and tradingsymbol (Kite's index tokens are not derived from
 * the exchange token). Bad rows are counted and listed (first 10), never fatal.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { Database } from '@/lib/db/client';
import { findInstrumentsBySymbols, upsertInstruments } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { parseFyersSymbolRow } from './fyers-symbols';
import type { ImportProgress, ImportSummary } from './run-import';

const BATCH = 5000;

/**
 * Import a Fyers symbol-master CSV. Returns the summary (records, imported, skipped, problems).
 * @throws Error when the file is not a Fyers symbol master (first row without a ticker in column 10).
 */
export async function importFyersSymbols(db: Database, file: string, options: ImportProgress = {}): Promise<ImportSummary> {
  const started = Date.now();
  const { size } = await stat(file);
  let bytesRead = 0;
  const summary: ImportSummary = { file, records: 0, imported: 0, skipped: 0, problems: [], ms: 0 };
  let batch: { instrument: Instrument; isIndex: boolean }[] = [];
  const flush = async () => {
    const indices = batch.filter((b) => b.isIndex).map((b) => b.instrument);
    if (indices.length) {
      const stored = await findInstrumentsBySymbols(db, indices);
      const tokenOf = new Map(stored.map((s) => [`${s.exchange}:${s.tradingsymbol}`, s.instrumentToken]));
      for (const index of indices) index.instrumentToken = tokenOf.get(`${index.exchange}:${index.tradingsymbol}`) ?? index.instrumentToken;
    }
    // One row per token per statement (a repeated token would be updated twice by one upsert).
    await upsertInstruments(db, [...new Map(batch.map((b) => [b.instrument.instrumentToken, b.instrument])).values()]);
    summary.imported += batch.length;
    batch = [];
    options.onProgress?.(bytesRead, size);
  };
  const stream = createReadStream(file);
  stream.on('data', (chunk) => (bytesRead += chunk.length));
  const rows = stream.pipe(parse({ columns: false, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true }));
  for await (const cells of rows as AsyncIterable<string[]>) {
    summary.records++;
    if (summary.records === 1 && !/^[A-Z]+:/.test(cells[9] ?? '')) {
      throw new Error(`${file} is not a Fyers symbol master (column 10 should be a ticker like NSE:INFY-EQ)`);
    }
    const parsed = parseFyersSymbolRow(cells);
    if ('error' in parsed) {
      summary.skipped++;
      if (summary.problems.length < 10) summary.problems.push(`record ${summary.records}: ${parsed.error}`);
      continue;
    }
    batch.push(parsed);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  summary.ms = Date.now() - started;
  return summary;
}
