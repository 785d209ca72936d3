/**
 * Daily sync of Fyers' public symbol masters into `instruments` (the Fyers counterpart of the
 * Kite collector's 08:00 IST instruments sync). The collector service calls
 * `syncFyersSymbolMaster(db)` at start and daily at 08:00 IST for a `broker: fyers` collector
 * with `rest.syncInstruments` (docs/brokers.md).
 *
 * Files: https://public.fyers.in/sym_details/<NAME>.csv, NAME one of NSE_CM, NSE_FO, NSE_CD,
 * BSE_CM, BSE_FO, MCX_COM (Fyers API v3 docs, "Symbol Master"); no authentication.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '@/lib/db/client';
import { importFyersSymbols } from '../../import/fyers-import';
import type { ImportSummary } from '../../import/run-import';

export const FYERS_SYMBOL_MASTER_ROOT = 'https://public.fyers.in/sym_details';

export interface FyersSymbolSyncOptions {
  /** Master files to load, default ['NSE_CM'] (cash equities and indices). */
  files?: readonly string[];
  /** Root URL override (tests: a local server). */
  root?: string;
  signal?: AbortSignal;
}

/**
 * Download each master to a temporary file and import it (upsert; Kite rows of the same
 * instrument stay one row). Returns one summary per file.
 * @throws Error naming the URL and HTTP status when a download fails.
 */
export async function syncFyersSymbolMaster(db: Database, options: FyersSymbolSyncOptions = {}): Promise<ImportSummary[]> {
  const root = options.root ?? FYERS_SYMBOL_MASTER_ROOT;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fyers-symbols-'));
  try {
    const out: ImportSummary[] = [];
    for (const name of options.files ?? ['NSE_CM']) {
      const url = `${root}/${name}.csv`;
      const response = await fetch(url, { signal: options.signal });
      if (!response.ok || !response.body) throw new Error(`Fyers symbol master ${url}: HTTP ${response.status}`);
      const file = path.join(dir, `${name}.csv`);
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
      out.push(await importFyersSymbols(db, file));
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
