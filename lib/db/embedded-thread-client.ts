/**
 * The embedded database on its own thread (issue 12 point 1): a node:worker_threads Worker
 * (lib/db/embedded-thread.mjs) owns PGlite+TimescaleDB; this side implements `Database` by
 * message passing (lib/db/embedded-protocol.ts), so the event loop that serves HTTP and
 * Socket.IO never runs SQL. Every statement (ingest COPYs, aggregate refreshes, scanner and
 * candle queries, migrations) executes on the database thread; what stays on the calling thread
 * is building the SQL text/parameters or the COPY payload (lib/db/queries/ticks.ts encodeTicks),
 * the structured clone of requests and result rows, and drizzle's row mapping.
 *
 * - `orm`: drizzle over `drizzle-orm/pg-proxy`, whose callback sends the SQL here with
 *   drizzle-pglite's parsers, so results match the in-process `drizzle-orm/pglite` driver.
 *   `orm.transaction()` is not supported (pg-proxy throws; nothing in the app uses it: one
 *   connection shared by all callers could not isolate one anyway).
 * - `query`: PGlite's own parsers (timestamptz → Date), as in-process.
 * - `ping()`: a `SELECT 1` that jumps the queue of waiting statements (health probes); it still
 *   waits for the one statement running.
 * - The thread holds the process open only while requests are pending (as in-process PGlite
 *   holds nothing): a CLI that forgets `close()` still exits.
 * - If the thread dies, pending and later calls reject with "embedded database thread exited".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import type { DbRequest, DbResponse, RowMode, ThreadReady, ThreadStart, WireError } from './embedded-protocol';
import type { Database, Orm } from './client';
import type { DatabaseProbe } from './probe';
import * as schema from './schema';

/** Distributes `Omit` over the request union (keeps each variant's own fields). */
type RequestBody = DbRequest extends infer R ? (R extends DbRequest ? Omit<R, 'id'> : never) : never;

/** A `Database` whose SQL runs on the embedded database thread. */
export interface ThreadDatabase extends Database {
  readonly kind: 'embedded';
  /** Apply the drizzle migrations in `folder` on the database thread (lib/db/migrate.ts). */
  migrate(folder: string): Promise<void>;
  /** Round trip of a prioritised `SELECT 1`, ms (waits for the statement running). Throws when the thread is gone. */
  ping(): Promise<number>;
  /**
   * Liveness without queueing behind SQL: when idle, a `ping()`; while statements are in
   * flight, answered at once from what the thread last did (ok while it answered something
   * within `stallMs`, default 10 s; latencyMs null then). Never throws.
   */
  probe(stallMs?: number): Promise<DatabaseProbe>;
  /** Requests sent and not yet answered (queued or running on the thread). */
  readonly pending: number;
  /**
   * Time spent executing on the database thread since open, per statement kind (`COPY <table>`,
   * `migrate`, or the first three words of the SQL), ms — queueing excluded. For benches.
   */
  threadTimings(): { kind: string; count: number; ms: number }[];
}

function rebuild(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  Object.assign(error, wire.props);
  return error;
}

/** Path of the thread entry: next to this module, or under the cwd when bundled elsewhere. */
function threadEntry(): string {
  const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'embedded-thread.mjs');
  return existsSync(here) ? here : path.resolve(process.cwd(), 'lib/db/embedded-thread.mjs');
}

/**
 * Start the database thread on `dataDir` (a PGlite cluster folder; undefined = in memory) and
 * resolve once PGlite is open and `LOAD 'timescaledb'` has run.
 * @throws the thread's open error (e.g. a corrupt folder), rebuilt with its properties
 */
export async function openThreadDatabase(dataDir?: string): Promise<ThreadDatabase> {
  const start: ThreadStart = { dataDir };
  const worker = new Worker(threadEntry(), { workerData: start });
  const waiting = new Map<number, { resolve: (r: DbResponse & { ok: true }) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  /** performance.now() of the last answer from the thread, and of the oldest unanswered request. */
  let lastAnswerAt = performance.now();
  const sentAt = new Map<number, number>();
  const kinds = new Map<number, string>();
  const timings = new Map<string, { kind: string; count: number; ms: number }>();
  const kindOf = (body: RequestBody): string => {
    if (body.op === 'copy') return `COPY ${body.table}`;
    if (body.op !== 'query') return body.op;
    return body.text.replace(/^\s*WITH\s+\w+\s+AS\s*\(/i, '').trim().split(/\s+/, 3).join(' ').replace(/\(.*$/, '');
  };

  const fail = (error: Error) => {
    dead ??= error;
    for (const { reject } of waiting.values()) reject(dead);
    waiting.clear();
    kinds.clear();
    sentAt.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const onReady = (message: ThreadReady) => {
      worker.off('error', reject).off('exit', onExit);
      if (message.ready) resolve();
      else reject(rebuild(message.error));
    };
    const onExit = (code: number) => reject(new Error(`embedded database thread exited (code ${code}) while opening`));
    worker.once('message', onReady).once('error', reject).once('exit', onExit);
  });
  worker.unref();
  worker.on('message', (response: DbResponse) => {
    const entry = waiting.get(response.id);
    if (!entry) return;
    lastAnswerAt = performance.now();
    waiting.delete(response.id);
    sentAt.delete(response.id);
    const kind = kinds.get(response.id) ?? '?';
    kinds.delete(response.id);
    if (response.ok) {
      const entry = timings.get(kind) ?? { kind, count: 0, ms: 0 };
      entry.count++;
      entry.ms += response.ms;
      timings.set(kind, entry);
    }
    if (waiting.size === 0) worker.unref();
    if (response.ok) entry.resolve(response);
    else entry.reject(rebuild(response.error));
  });
  worker.on('error', (error) => fail(new Error(`embedded database thread failed: ${error.message}`)));
  worker.on('exit', (code) => fail(new Error(`embedded database thread exited (code ${code})`)));

  const send = (body: RequestBody): Promise<DbResponse & { ok: true }> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      sentAt.set(id, performance.now());
      kinds.set(id, kindOf(body));
      // A binary COPY payload moves to the thread instead of being copied (it is encoded for this
      // one statement; lib/db/client.ts Database.copyFrom says the caller must not reuse it).
      const transfer = body.op === 'copy' && body.payload instanceof Uint8Array ? [body.payload.buffer as ArrayBuffer] : [];
      worker.postMessage({ ...body, id } as DbRequest, transfer);
    });
  };
  const query = async <T>(text: string, params: unknown[], mode: RowMode, priority = false): Promise<T[]> =>
    ((await send({ op: 'query', text, params, mode, priority })).rows ?? []) as T[];

  const { drizzle } = await import('drizzle-orm/pg-proxy');
  const orm = drizzle(
    async (text, params, method) => ({ rows: await query(text, params, method === 'all' ? 'array' : 'object') }),
    { schema },
  ) as unknown as Orm;

  const ping = async () => {
    const t0 = performance.now();
    await query('SELECT 1', [], 'raw', true);
    return performance.now() - t0;
  };
  let closing: Promise<void> | null = null;
  return {
    kind: 'embedded',
    orm,
    get pending() {
      return waiting.size;
    },
    threadTimings: () => [...timings.values()].map((t) => ({ ...t })),
    async rows<T>(sqlQuery: SQL) {
      return (await (orm as unknown as { execute(q: SQL): Promise<T[]> }).execute(sqlQuery)) as T[];
    },
    query<T>(text: string, params: unknown[] = []) {
      return query<T>(text, params, 'raw');
    },
    async copyFrom(table, columns, payload, format) {
      await send({ op: 'copy', table, columns, payload, format });
    },
    async migrate(folder) {
      await send({ op: 'migrate', folder });
    },
    ping,
    async probe(stallMs = 10_000) {
      if (dead) return { ok: false, latencyMs: null, busyMs: 0, error: dead.message };
      if (waiting.size === 0) {
        try {
          return { ok: true, latencyMs: await ping(), busyMs: 0 };
        } catch (error) {
          return { ok: false, latencyMs: null, busyMs: 0, error: (error as Error).message };
        }
      }
      const now = performance.now();
      const oldest = sentAt.values().next().value ?? now;
      const busyMs = Math.round(now - Math.max(lastAnswerAt, oldest));
      return busyMs < stallMs
        ? { ok: true, latencyMs: null, busyMs }
        : { ok: false, latencyMs: null, busyMs, error: `the embedded database thread has not answered for ${busyMs} ms` };
    },
    close() {
      closing ??= (async () => {
        if (dead) return;
        await send({ op: 'close' }); // PGlite closed (its folder synced) on the thread
        dead = new Error('the embedded database is closed');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
