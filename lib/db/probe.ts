/**
 * Database health check for /api/health and the bench, kept free of driver imports so route
 * handlers can use it without bundling PGlite or postgres.js.
 */
import type { Database } from './client';

/** A database health check: `latencyMs` of a `SELECT 1` round trip (null when not measured). */
export interface DatabaseProbe {
  ok: boolean;
  latencyMs: number | null;
  /** Embedded thread only: how long the statement in flight has run without an answer, ms. */
  busyMs?: number;
  error?: string;
}

/**
 * Health check that never queues behind other SQL (issue 12 point 1): the database's own
 * `probe()` when it has one (the embedded thread, lib/db/embedded-thread-client.ts; a server,
 * a dedicated connection in lib/db/client.ts), else a timed `SELECT 1`. Never throws.
 */
export async function probeDatabase(db: Database): Promise<DatabaseProbe> {
  const probe = (db as { probe?: () => Promise<DatabaseProbe> }).probe;
  if (typeof probe === 'function') return probe.call(db);
  const started = performance.now();
  try {
    await db.query('SELECT 1');
    return { ok: true, latencyMs: performance.now() - started };
  } catch (error) {
    return { ok: false, latencyMs: null, error: error instanceof Error ? error.message : String(error) };
  }
}

