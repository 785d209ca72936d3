/**
 * What every CLI shares: opening the configured database (DATABASE_URL or the embedded one
 * under DATA_DIR) with a clear refusal when the running app owns the embedded folder, and the
 * exit-code convention: 0 done, 1 bad usage/input or failure, 2 embedded database in use.
 */
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import { DatabaseInUseError } from '@/lib/db/embedded-owner';
import { openWorkerDatabase } from '../database';
import { createLogger } from '../logger';

export const EXIT_DATABASE_IN_USE = 2;

/**
 * Open the database for CLI `name` (logs at LOG_LEVEL, default warn). Returns null after
 * printing why when another live process owns the embedded database; `need` completes the
 * sentence "… needs the embedded database to itself" for that message.
 */
export async function openCliDatabase(
  name: string,
  need: string,
): Promise<{ db: Database; close: () => Promise<void> } | null> {
  const env = parseWorkerEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  try {
    return await openWorkerDatabase(env, createLogger(env.LOG_LEVEL, name));
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(`${error.message}\n${need} needs the embedded database to itself.`);
      return null;
    }
    throw error;
  }
}

/** Print `<name>: <message>` to stderr and return exit code 1. */
export function cliFailure(name: string, message: string): number {
  console.error(`${name}: ${message}`);
  return 1;
}

/** Run a CLI's main and exit with its code; an unexpected error prints and exits 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
