/**
 * Locates ../shared/data (real market-data samples; never copied into the repo) for tests.
 * SHARED_DATA_DIR overrides the default `path.resolve(process.cwd(), '../shared/data')`.
 * Tests that need a file use `describe.skipIf(!f.exists)(title + f.skipNote, …)` so a missing
 * folder shows up as skipped with the path in the title.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR
  ? path.resolve(process.env.SHARED_DATA_DIR)
  : path.resolve(process.cwd(), '../shared/data');

export interface SharedFile {
  path: string;
  exists: boolean;
  /** '' when present, else " (skipped: <path> not found)". */
  skipNote: string;
}

/** A file under SHARED_DATA_DIR, e.g. sharedFile('breeze-nfo-ticks/all_ticks_FUTURES.csv'). */
export function sharedFile(relative: string): SharedFile {
  const file = path.join(SHARED_DATA_DIR, relative);
  const exists = existsSync(file);
  return { path: file, exists, skipNote: exists ? '' : ` (skipped: ${file} not found; set SHARED_DATA_DIR)` };
}
