/**
 * Location of the shared real-market-data folder (../shared/data, or SHARED_DATA_DIR).
 * Tests that need it use `describe.skipIf(!hasSharedData(...))` so they report as skipped,
 * with the missing path in their title, when it is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SHARED_DATA_DIR = process.env.SHARED_DATA_DIR
  ? path.resolve(process.env.SHARED_DATA_DIR)
  : path.resolve(process.cwd(), '../shared/data');

/** Absolute path of a file under the shared data folder. */
export function sharedData(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative);
}

/** True when every listed file exists. */
export function hasSharedData(...relative: string[]): boolean {
  return relative.every((file) => existsSync(sharedData(file)));
}

/** Suffix for a describe title explaining why it may be skipped. */
export function needsSharedData(...relative: string[]): string {
  return hasSharedData(...relative) ? '' : ` [skipped: ${relative.map(sharedData).join(', ')} not found]`;
}

export interface SharedFile {
  path: string;
  exists: boolean;
  /** '' when present, else " (skipped: <path> not found)". */
  skipNote: string;
}

/** A file under SHARED_DATA_DIR, e.g. sharedFile('breeze-nfo-ticks/all_ticks_FUTURES.csv'). */
export function sharedFile(relative: string): SharedFile {
  const file = sharedData(relative);
  const exists = existsSync(file);
  return { path: file, exists, skipNote: exists ? '' : ` (skipped: ${file} not found; set SHARED_DATA_DIR)` };
}
