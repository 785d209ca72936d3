/**
 * Streaming CSV reader for imports: yields header-keyed records and reports bytes read, so the
 * CLI can draw a progress bar over the file size without loading the file in memory.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface CsvProgress {
  bytesRead: number;
}

/** Records of a headed CSV file (`columns: true`, trimmed, empty lines skipped). */
export async function* readCsvRecords(
  file: string,
  progress?: CsvProgress,
): AsyncGenerator<Record<string, string>> {
  const stream = createReadStream(file);
  if (progress) stream.on('data', (chunk) => (progress.bytesRead += chunk.length));
  const parser = stream.pipe(parse({ columns: true, trim: true, skip_empty_lines: true, relax_column_count: true }));
  for await (const record of parser) yield record as Record<string, string>;
}
