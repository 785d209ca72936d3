/**
 * Opening the database: embedded PGlite+TimescaleDB (one in-process owner, persisted in a
 * folder) or a TimescaleDB server through postgres.js. Both give the same `Database` shape,
 * so queries, the writer and the tests do not care which one they run on.
 *
 * Platform quirks handled here (../shared/notes/platform.md):
 * - after reopening a persisted PGlite folder, `LOAD 'timescaledb'` must run before anything
 *   else, or hypertable inserts fail;
 * - postgres.js leaves Nagle's algorithm on, which makes every COPY wait ~40–90 ms: we hand it
 *   sockets with `noDelay`, unconnected, so that a refused connection does not leak a pool slot,
 *   and reconnects are retried within 1 s (./server-socket.ts);
 * - postgres.js COPY never reports a server error (porsager/postgres#1173): on a server, COPY
 *   runs through `pg` + `pg-copy-streams` on a dedicated connection (./server-copy.ts);
 * - server DEBUG notices are silenced;
 * - health probes (`probe()`, used by lib/db/probe.ts) run on a connection of their own.
 */
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { openCopyChannel } from './server-copy';
import { reconnectBackoff, serverSocket } from './server-socket';
import type { DatabaseProbe } from './probe';
export { probeDatabase, type DatabaseProbe } from './probe';

export type Schema = typeof schema;
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'embedded' | 'server';
  /** Drizzle over this database. */
  readonly orm: Orm;
  /** Run a drizzle `sql` query and return its rows. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Run raw SQL text with positional parameters ($1, …) and return its rows. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk-load into `table(columns)` with one COPY statement: `csv` text (no header, RFC 4180
   * quoting, empty field = NULL) or PostgreSQL `binary` COPY bytes (lib/db/binary-copy.ts).
   * Throws the database error; nothing is partially applied. A `Uint8Array` payload is handed
   * over: on the embedded database thread its buffer is transferred (detached here), so pass
   * one encoded for this call and do not reuse it.
   */
  copyFrom(table: string, columns: readonly string[], payload: string | Uint8Array, format: 'csv' | 'binary'): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether the embedded database runs on its own thread (lib/db/embedded-thread-client.ts):
 * EMBEDDED_DB_THREAD=0 (or `false`) keeps PGlite on the calling thread, as before issue 12.
 */
export function embeddedOnThread(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.EMBEDDED_DB_THREAD?.trim().toLowerCase();
  return !(value === '0' || value === 'false' || value === 'no' || value === 'off');
}

/**
 * Open an embedded PGlite+TimescaleDB database persisted in `dataDir` (or in memory when
 * undefined): on its own thread by default (the serving thread never runs SQL), in-process when
 * `onThread` is false (default from EMBEDDED_DB_THREAD, see `embeddedOnThread`).
 */
export async function openEmbeddedDatabase(dataDir?: string, onThread = embeddedOnThread()): Promise<Database> {
  if (onThread) {
    const { openThreadDatabase } = await import('./embedded-thread-client');
    return openThreadDatabase(dataDir);
  }
  return openInProcessDatabase(dataDir);
}

/** PGlite on the calling thread (EMBEDDED_DB_THREAD=0): every statement blocks this event loop. */
async function openInProcessDatabase(dataDir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { timescaledb } = await import('@electric-sql/pglite/timescaledb');
  const { drizzle } = await import('drizzle-orm/pglite');
  const pglite = await PGlite.create({ dataDir, extensions: { timescaledb } });
  // Quirk 1: the library must be loaded before any hypertable is touched after a reopen.
  await pglite.exec(`LOAD 'timescaledb'`);
  await pglite.exec(`SET client_min_messages = warning`);
  const orm = drizzle(pglite, { schema }) as unknown as Orm;
  return {
    kind: 'embedded',
    orm,
    async rows<T>(query: SQL) {
      const result = (await (orm as unknown as { execute(q: SQL): Promise<{ rows: T[] }> }).execute(query)) as {
        rows: T[];
      };
      return result.rows;
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pglite.query<T>(text, params)).rows;
    },
    async copyFrom(table, columns, payload, format) {
      await pglite.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT ${format})`, [], {
        blob: new Blob([payload as BlobPart]),
      });
    },
    async close() {
      await pglite.close();
    },
  };
}

/**
 * Open a TimescaleDB server at `url` (postgres://…) with a pool of `max` connections for
 * queries, plus one dedicated connection for COPY (opened on the first COPY).
 */
export async function openServerDatabase(url: string, max = 10): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // Nagle off, refused connections reported on the socket, reconnects within 1 s (./server-socket.ts).
    socket: serverSocket,
    backoff: reconnectBackoff,
  } as Parameters<typeof postgres>[1]);
  const copier = openCopyChannel(url);
  // Health probes on a connection of their own: on the pool they queued behind every waiting
  // query (200 concurrent candle reads held a probe for 66 s).
  let prober: ReturnType<typeof postgres> | null = null;
  let inflight: Promise<DatabaseProbe> | null = null;
  let inflightSince = 0;
  let last: { probe: DatabaseProbe; at: number } | null = null;
  const probeOnce = async (timeoutMs: number): Promise<DatabaseProbe> => {
    prober ??= postgres(url, { max: 1, onnotice: () => {}, socket: serverSocket, backoff: reconnectBackoff, idle_timeout: 60 } as Parameters<typeof postgres>[1]);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        prober`SELECT 1`,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer to SELECT 1 within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, latencyMs: null, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  };
  const orm = drizzle(client, { schema }) as unknown as Orm;
  const database: Database & { probe(timeoutMs?: number): Promise<DatabaseProbe> } = {
    kind: 'server',
    orm,
    /**
     * Health without waiting on a busy serving thread or pool: a `SELECT 1` on a dedicated
     * connection (opened on first use; fails after `timeoutMs`, default 5 s). While one is in
     * flight, or one finished within `freshMs` (default 1 s), answers at once from the last
     * result (a new probe starts in the background when none runs); only the first call, or one
     * after a quiet spell, waits for the round trip. Never throws.
     */
    async probe(timeoutMs = 5000, freshMs = 1000): Promise<DatabaseProbe> {
      const now = performance.now();
      if (!inflight) {
        inflightSince = now;
        inflight = probeOnce(timeoutMs).then((result) => {
          last = { probe: result, at: performance.now() };
          inflight = null;
          return result;
        });
      }
      if (last && (now - last.at < freshMs || now - inflightSince < timeoutMs)) {
        return { ...last.probe, busyMs: Math.round(now - inflightSince) };
      }
      return inflight;
    },
    async rows<T>(query: SQL) {
      return (await (orm as unknown as { execute(q: SQL): Promise<T[]> }).execute(query)) as T[];
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.unsafe(text, params as never[])) as unknown as T[];
    },
    async copyFrom(table, columns, payload, format) {
      await copier.copy(
        `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT ${format === 'binary' ? 'binary' : 'csv'})`,
        payload,
      );
    },
    async close() {
      await Promise.all([copier.close(), client.end({ timeout: 5 }), prober?.end({ timeout: 5 })]);
    },
  };
  return database;
}
