/**
 * The web app's database handle: the one registered at start-up (lib/runtime/registry.ts): the
 * host's embedded database in `npm start`, a postgres.js pool to DATABASE_URL in `npm run web`.
 */
import { webRuntime } from '@/lib/runtime/registry';
import type { Database } from './client';

/**
 * Database for route handlers and server components.
 * Throws when the process was started without an entry that registers one.
 */
export function getDatabase(): Promise<Database> {
  return Promise.resolve(webRuntime().db);
}
