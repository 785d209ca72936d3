/**
 * Write-ahead file for closed 1m candles (`candles.jsonl` in the journal folder): a candle
 * closed by the aggregator is appended before it is queued for the database, and the file is
 * emptied once everything queued has been upserted. After a SIGKILL the next start upserts what
 * the file holds (the upsert replaces by (instrument, bucket), so replaying it is harmless).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OneMinuteCandle } from '@/lib/db/queries/candles';

export class CandleJournal {
  private fd: number | null = null;
  readonly file: string;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'candles.jsonl');
  }

  /** Candles left by a previous run, in close order (a torn last line is skipped). */
  load(): OneMinuteCandle[] {
    if (!fs.existsSync(this.file)) return [];
    const out: OneMinuteCandle[] = [];
    for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as OneMinuteCandle);
      } catch {
        // torn write
      }
    }
    return out;
  }

  /** Append one candle (synchronous write). Throws on I/O errors. */
  append(candle: OneMinuteCandle): void {
    this.fd ??= fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, `${JSON.stringify(candle)}\n`);
  }

  /** Empty the file (everything in it is stored). */
  clear(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.file, { force: true });
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
