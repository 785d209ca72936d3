/**
 * Messages between the serving thread and the embedded database thread
 * (lib/db/embedded-thread.mjs owns PGlite; lib/db/embedded-thread-client.ts is its caller).
 *
 * One request → exactly one response with the same `id`. Values cross the thread boundary by
 * structured clone (Date, BigInt, Uint8Array, nested arrays/objects survive; class instances
 * become plain objects). Errors cross as `WireError` and are rebuilt as `Error`s carrying the
 * same own properties (`code` = SQLSTATE, `detail`, `constraint`, …), so callers that test
 * `error.code === '23505'` behave as with in-process PGlite.
 *
 * Lanes: requests with `priority: true` (health probes) are run before queued normal ones;
 * plain SELECTs and writes (everything else: COPY, upserts, refreshes, migrations) alternate
 * while both wait, FIFO within each, `close` after both; none interrupts the statement already
 * running (PGlite is synchronous WebAssembly).
 */

/** How rows come back. `raw`: PGlite's own type parsers (timestamptz → Date), object rows —
 * what `Database.query` returns. `object` / `array`: drizzle's pglite parsers (timestamps,
 * dates and intervals kept as text; drizzle's column mappers convert them), object or array rows. */
export type RowMode = 'raw' | 'object' | 'array';

export type DbRequest =
  | { id: number; op: 'query'; text: string; params: unknown[]; mode: RowMode; priority?: boolean }
  | { id: number; op: 'copy'; table: string; columns: readonly string[]; payload: string | Uint8Array; format: 'csv' | 'binary' }
  | { id: number; op: 'migrate'; folder: string }
  | { id: number; op: 'close' };

export interface WireError {
  name: string;
  message: string;
  /** Own enumerable properties of the original error (code, detail, severity, …). */
  props: Record<string, unknown>;
}

export type DbResponse =
  | { id: number; ok: true; rows?: unknown[]; affectedRows?: number; ms: number }
  | { id: number; ok: false; error: WireError };

/** Data the thread gets at start (`workerData`). */
export interface ThreadStart {
  /** PGlite cluster folder, or undefined for an in-memory database. */
  dataDir?: string;
}

/** Posted once by the thread: ready (or failed to open). */
export type ThreadReady = { ready: true; ms: number } | { ready: false; error: WireError };
