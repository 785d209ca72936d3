/**
 * COPY … FROM STDIN on a TimescaleDB server through `pg` + `pg-copy-streams`, on one dedicated
 * connection of its own.
 *
 * Why not postgres.js: its `.writable()` COPY never reports an error the server raises during
 * the COPY (porsager/postgres#1173, fix #1183 unmerged as of 3.4.9): the pending promise is
 * resolved by the next query on that connection, or never, so a batch rejected for a duplicate
 * key looked stored and its new rows were lost (../shared/notes/platform.md). pg-copy-streams
 * rejects the stream with the server's ErrorResponse (a pg `DatabaseError` carrying the
 * SQLSTATE in `code`, e.g. '23505') as soon as it arrives, and reports the row count of the
 * CommandComplete message.
 *
 * Connection handling: connected on the first COPY; COPYs run one at a time on it (callers are
 * queued); a server-reported error leaves the session usable, any other failure (reset,
 * refused, server stopped) discards the connection and the next COPY reconnects. Nagle is off
 * (pg sets `noDelay` on its sockets).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';

export interface CopyChannel {
  /**
   * Run one `COPY … FROM STDIN` statement with `payload` as its whole input.
   * @returns rows copied, as the server reported them
   * @throws the server's error (pg DatabaseError with `code` = SQLSTATE; nothing of the COPY is
   *   applied) or the connection error (ECONNREFUSED, ECONNRESET, "Connection terminated…")
   */
  copy(statement: string, payload: string | Uint8Array): Promise<number>;
  /** Close the connection (idempotent); later COPYs reconnect. */
  close(): Promise<void>;
}

/** True when the server itself reported the error (the session survives it). */
const isServerError = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code);

/**
 * A COPY channel to the server at `url` (postgres://…).
 * @param connectTimeoutMs  give up connecting after this long (default 10 s)
 */
export function openCopyChannel(url: string, connectTimeoutMs = 10_000): CopyChannel {
  let client: Client | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const drop = (which: Client) => {
    if (client === which) client = null;
    which.end().catch(() => {});
  };
  const connected = async (): Promise<Client> => {
    if (client) return client;
    const { default: pg } = await import('pg');
    const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    // A dropped connection is reported by the COPY in flight (or the next one); without a
    // listener, pg's 'error' event would crash the process.
    fresh.on('error', () => drop(fresh));
    await fresh.connect();
    client = fresh;
    return fresh;
  };

  // Called one at a time (see `queue`), so there is never more than one connection.
  const run = async (statement: string, payload: string | Uint8Array): Promise<number> => {
    const { default: copyStreams } = await import('pg-copy-streams');
    const connection = await connected();
    try {
      const stream = connection.query(copyStreams.from(statement));
      // A Buffer view of the payload's bytes (Buffer.from(uint8Array) would copy them).
      const chunk = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      await pipeline(Readable.from([chunk]), stream);
      return stream.rowCount;
    } catch (error) {
      if (!isServerError(error)) drop(connection);
      throw error;
    }
  };

  return {
    copy(statement, payload) {
      const result = queue.then(() => run(statement, payload));
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      await queue;
      if (client) {
        const last = client;
        client = null;
        await last.end().catch(() => {});
      }
    },
  };
}
