/**
 * Reading a replay file into ticks, in chunks: lines split on commas, csv-parse for quoted
 * lines (streamed; the file is never loaded whole) → header zip → the format's `normalise`. Shared by the in-process replay and the parse
 * thread (./parse-thread.ts), which runs exactly this off the serving thread.
 *
 * A chunk holds up to `chunkSize` records' results in file order: the ticks, and the skipped
 * records (1-based line, reason: wrong column count, a normaliser error, CSV syntax). Reading
 * errors (file gone, I/O) are thrown by the generator.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
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

/**
 * Chunks of `file` read with `format` (see the file comment). Stops early when `signal` aborts.
 * Lines without a quote character are split on commas directly (a tick CSV is almost all such
 * lines; csv-parse with per-record line numbers cost ~5× more CPU on a 300k-tick file); a line
 * with a quote, with the lines that follow it until its quotes balance (a quoted field may span
 * lines), is parsed by csv-parse with the same options. Files whose first line does not end in
 * `\n` (old Mac `\r` line ends) go through csv-parse whole.
 */
export async function* readRecordChunks(file: string, format: TickFormat, chunkSize: number, signal?: AbortSignal): AsyncGenerator<RecordChunk> {
  const first = readFirstLineEnd(file);
  if (first === 'cr') {
    yield* readRecordChunksCsvParse(file, format, chunkSize, signal);
    return;
  }
  let chunk: RecordChunk = { ticks: [], skips: [] };
  let header: readonly string[] | null = format.columns;
  let records = 0;
  let lineNo = 0;
  let block: string[] = [];
  let blockQuotes = 0;
  let rest = '';
  let atStart = true;
  const source = createReadStream(file, { encoding: 'utf8' });

  /** One parsed row (line = its last line, 1-based); true when `chunk` is full. */
  const take = (row: string[], line: number): boolean => {
    if (header === null) {
      header = row.map((c) => c.trim());
      return false;
    }
    const record = toRecord(header, row);
    const result = typeof record === 'string' ? { error: record } : format.normalise(record);
    if (result.error !== undefined) chunk.skips.push({ line, reason: result.error });
    else chunk.ticks.push(result.tick);
    return ++records >= chunkSize;
  };
  /** Parse the pending quoted block with csv-parse (same options as the streamed path). */
  const flushBlock = (): boolean => {
    const startLine = lineNo - block.length + 1;
    const text = block.join('\n');
    block = [];
    blockQuotes = 0;
    const rows = parseSync(text, {
      ...CSV_OPTIONS,
      on_record: (record: string[], context: { lines: number }) => {
        record.push(String(context.lines));
        return record;
      },
      on_skip: (err: (Error & { lines?: number }) | undefined) => {
        chunk.skips.push({ line: startLine - 1 + (typeof err?.lines === 'number' ? err.lines : 1), reason: `CSV syntax: ${err?.message ?? 'unparseable record'}` });
        return undefined;
      },
    }) as string[][];
    let full = false;
    for (const row of rows) {
      const line = startLine - 1 + Number(row.pop());
      if (take(row, line)) full = true;
    }
    return full;
  };
  const countQuotes = (line: string): number => {
    let n = 0;
    for (let at = line.indexOf('"'); at !== -1; at = line.indexOf('"', at + 1)) n++;
    return n;
  };
  /**
   * Handle one line (without its terminator); true when `chunk` is full. `plain`: the text the
   * line came from holds no quote and no `\r` (checked once per read, not per line).
   */
  const onLine = (raw: string, plain = false): boolean => {
    lineNo++;
    const line = !plain && raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (block.length > 0) {
      block.push(line);
      blockQuotes += countQuotes(line);
      return blockQuotes % 2 === 0 ? flushBlock() : false;
    }
    if (!plain && (line.includes('"') || line.includes('\r'))) {
      block.push(line);
      blockQuotes = countQuotes(line);
      return blockQuotes % 2 === 0 ? flushBlock() : false;
    }
    if (line === '') return false; // skip_empty_lines
    return take(line.split(','), lineNo);
  };
  try {
    for await (const text of source as AsyncIterable<string>) {
      if (signal?.aborted) return;
      let data = rest + text;
      if (atStart) {
        data = data.replace(/^\uFEFF/, '');
        atStart = false;
      }
      let from = 0;
      const plain = !data.includes('"') && !data.includes('\r');
      for (let end = data.indexOf('\n'); end !== -1; end = data.indexOf('\n', from)) {
        const full = onLine(data.slice(from, end), plain);
        from = end + 1;
        if (full) {
          yield chunk;
          chunk = { ticks: [], skips: [] };
          records = 0;
          if (signal?.aborted) return;
        }
      }
      rest = data.slice(from);
    }
    if (rest !== '') onLine(rest);
    if (block.length > 0) flushBlock();
    if (chunk.ticks.length || chunk.skips.length) yield chunk;
  } finally {
    source.destroy();
  }
}

/** csv-parse options shared by both paths (BOM, ragged rows kept for our own count check, bad records skipped). */
const CSV_OPTIONS = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
} as const;

/** 'lf' when the file's first line ends in \n (or the file has one line), 'cr' for a lone \r. */
function readFirstLineEnd(file: string): 'lf' | 'cr' {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const text = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('latin1');
    const cr = text.indexOf('\r');
    return cr !== -1 && text[cr + 1] !== '\n' && (text.indexOf('\n') === -1 || cr < text.indexOf('\n')) ? 'cr' : 'lf';
  } finally {
    closeSync(fd);
  }
}

/** The csv-parse stream over the whole file (files with `\r` line ends; the reference the fast path is tested against). */
export async function* readRecordChunksCsvParse(file: string, format: TickFormat, chunkSize: number, signal?: AbortSignal): AsyncGenerator<RecordChunk> {
  let chunk: RecordChunk = { ticks: [], skips: [] };
  const syntaxSkips: SkippedRecord[] = [];
  const source = createReadStream(file);
  const parser = source.pipe(
    parse({
      ...CSV_OPTIONS,
      // Append each record's (last) line number as an extra field; much cheaper than `info: true`.
      on_record: (record, context) => {
        record.push(String(context.lines));
        return record;
      },
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
