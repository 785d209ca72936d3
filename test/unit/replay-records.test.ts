/**
 * The replay reader's fast path (lines without quotes split on commas, quoted blocks through
 * csv-parse) gives the same ticks and the same skipped records, with the same line numbers, as
 * csv-parse over the whole file (worker/sources/replay/records.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFormat } from '@/worker/sources/formats';
import { readRecordChunks, readRecordChunksCsvParse, type RecordChunk } from '@/worker/sources/replay/records';

const HEADER = 'exchange_time,instrument_token,exchange,tradingsymbol,ltp,last_quantity,volume,average_price,oi,bid_price,bid_quantity,ask_price,ask_quantity';
const row = (i: number, symbol = `SYM${i}`) => `2025-12-29T03:45:0${i % 10}.000Z,${1000 + i},NSE,${symbol},${100 + i},1,${10 * i},,,,,,`;

async function collect(chunks: AsyncGenerator<RecordChunk>) {
  const ticks: unknown[] = [];
  const skips: unknown[] = [];
  let count = 0;
  for await (const chunk of chunks) {
    count++;
    ticks.push(...chunk.ticks);
    skips.push(...chunk.skips);
  }
  return { ticks, skips, count };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'replay-records-'));
const format = getFormat('marketdesk');

const cases: Record<string, string> = {
  'plain, LF': [HEADER, row(1), row(2), row(3)].join('\n') + '\n',
  'CRLF, BOM, empty lines, no final newline': '\uFEFF' + [HEADER, row(1), '', row(2), '', '', row(3)].join('\r\n'),
  'quoted fields, a comma and a line break inside quotes, escaped quotes': [
    HEADER,
    row(1),
    row(2, '"A,B"'),
    row(3, '"MULTI\nLINE"'),
    row(4, '"SAY ""HI"""'),
    row(5),
  ].join('\n') + '\n',
  'bad rows: short row, bad number, a stray quote in an unquoted field': [
    HEADER,
    row(1),
    'garbage',
    row(2).replace(',102,', ',abc,'),
    row(3, 'AB"C'),
    row(4),
    row(5, 'D"E'),
    row(6),
  ].join('\n') + '\n',
  'a quote never closed swallows the rest of the file': [HEADER, row(1), row(2, '"OPEN'), row(3), row(4)].join('\n') + '\n',
};

describe('replay records: fast path = csv-parse', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.csv`);
      writeFileSync(file, text);
      const fast = await collect(readRecordChunks(file, format, 2));
      const reference = await collect(readRecordChunksCsvParse(file, format, 2));
      expect(fast.ticks).toEqual(reference.ticks);
      // csv-parse's own message names the line where the quote opened, counted from the start
      // of the quoted block it was given: compare the reasons up to there.
      const reasons = (skips: unknown[]) =>
        (skips as { line: number; reason: string }[]).map((s) => ({ ...s, reason: s.reason.replace(/ at line \d+$/, '') }));
      expect(reasons(fast.skips)).toEqual(reasons(reference.skips));
      expect(fast.ticks.length + fast.skips.length).toBeGreaterThan(0);
      expect(fast.count).toBeGreaterThanOrEqual(Math.min(2, reference.count)); // chunked
    });
  }
});
