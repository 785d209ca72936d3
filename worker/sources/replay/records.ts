/**
 * Reading a replay file into ticks, in chunks: csv-parse (streamed; the file is never loaded
 * whole) → header zip → the format's `normalise`. Shared by the in-process replay and the parse
 * thread (./parse-thread.ts), which runs exactly this off the serving thread.
 *
 * A chunk holds up to `chunkSize` records' results in file order: the ticks, and the skipped
 * records (1-based line, reason: wrong column count, a normaliser error, CSV syntax). Reading
 * errors (file gone, I/O) are thrown by the generator.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Tick } from '@/lib/market/tick';
import type { CsvRecord, TickFormat } from '../formats';

export interface SkippedRecord {
  line: number;
  reason: string;
}

export interface RecordChunk {
  ticks: Tick[];
  skips: SkippedRecord[];
}

/** Zip a parsed row with the header; a column-count mismatch is a skip reason. */
function toRecord(header: readonly string[], row: string[]): CsvRecord | string {
  if (row.length !== header.length) return `expected ${header.length} columns, got ${row.length}`;
  const record: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) record[header[i]] = row[i];
  return record;
}

/** Chunks of `file` read with `format` (see the file comment). Stops early when `signal` aborts. */
export async function* readRecordChunks(file: string, format: TickFormat, chunkSize: number, signal?: AbortSignal): AsyncGenerator<RecordChunk> {
  let chunk: RecordChunk = { ticks: [], skips: [] };
  const syntaxSkips: SkippedRecord[] = [];
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({
      bom: true,
      // Append each record's (last) line number as an extra field; much cheaper than `info: true`.
      on_record: (record, context) => {
        record.push(String(context.lines));
        return record;
      },
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        syntaxSkips.push({
          line: err && 'lines' in err && typeof err.lines === 'number' ? err.lines : 0,
          reason: `CSV syntax: ${err?.message ?? 'unparseable record'}`,
        });
        return undefined;
      },
    }),
  );
  source.on('error', (err) => parser.destroy(err)); // pipe() does not forward source errors
  let header: readonly string[] | null = format.columns;
  let records = 0;
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (signal?.aborted) return;
      if (syntaxSkips.length) chunk.skips.push(...syntaxSkips.splice(0));
      const line = Number(row.pop());
      if (header === null) {
        header = row.map((c) => c.trim());
        continue;
      }
      const record = toRecord(header, row);
      const result = typeof record === 'string' ? { error: record } : format.normalise(record);
      if (result.error !== undefined) chunk.skips.push({ line, reason: result.error });
      else chunk.ticks.push(result.tick);
      if (++records >= chunkSize) {
        yield chunk;
        chunk = { ticks: [], skips: [] };
        records = 0;
      }
    }
    if (syntaxSkips.length) chunk.skips.push(...syntaxSkips.splice(0));
    if (chunk.ticks.length || chunk.skips.length) yield chunk;
  } finally {
    parser.destroy();
    source.destroy();
  }
}
