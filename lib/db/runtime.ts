/**
 * The web app's database handle: the host's embedded database when running inside
 * worker/host.ts, otherwise one postgres.js pool to DATABASE_URL per process.
 */
import { webEnv } from '@/lib/config/web-env';
import { getHostRuntime } from '@/lib/runtime/host';
import { openServerDatabase, type Database } from './client';

let serverDatabase: Promise<Database> | undefined;

/**
 * Database for route handlers and server components.
 * Throws when neither an in-process host nor DATABASE_URL is available.
 */
export function getDatabase(): Promise<Database> {
  const host = getHostRuntime();
  if (host) return Promise.resolve(host.db);
  const url = webEnv().DATABASE_URL;
  if (!url) {
    throw new Error(
      'No database: start the app with `npm start` (embedded database) or set DATABASE_URL to a TimescaleDB server',
    );
  }
  serverDatabase ??= openServerDatabase(url);
  return serverDatabase;
}
