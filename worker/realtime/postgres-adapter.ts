/**
 * Attach the official @socket.io/postgres-adapter to a Socket.IO server, so that the worker and
 * the realtime nodes (worker/realtime/node.ts) form one cluster through the TimescaleDB server
 * itself (LISTEN/NOTIFY; nothing else to run). Used by `npm run worker` and `npm run realtime`
 * when REALTIME_ADAPTER=postgres (lib/config/realtime-env.ts).
 *
 * - A `pg` Pool of `poolSize` connections (default 4): one holds LISTEN for the adapter, the
 *   others send `pg_notify` and attachments.
 * - Payloads over 8,000 bytes (PostgreSQL's NOTIFY limit) are stored as msgpack in the table
 *   `socket_io_attachments` (created here if missing; rows older than 30 s are deleted by each
 *   server) and fetched by the receivers.
 * - Channel: `<channel>#/` (REALTIME_CHANNEL, default `marketdesk`), so two deployments can share
 *   one database.
 * - Adapter errors (a failed publish, a lost connection: the adapter reconnects by itself) are
 *   logged at warn, at most once per 10 s.
 *
 * @throws the pg error when the database cannot be reached or the table cannot be created.
 */
import type { Logger } from 'pino';
import pg from 'pg';
import type { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';

export const ATTACHMENT_TABLE = 'socket_io_attachments';

export interface AdapterHandle {
  /** Close the pool (after `io.close()`, which closes the adapter's LISTEN client). */
  close(): Promise<void>;
}

/** Create the attachment table if missing; tolerates another process creating it at the same time. */
async function ensureAttachmentTable(pool: pg.Pool): Promise<void> {
  try {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${ATTACHMENT_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`,
    );
  } catch (error) {
    // 23505/42P07: a concurrent CREATE won the race (pg_type unique index); the table exists.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
}

/** Attach the adapter to `io` (any event maps: they do not matter to the adapter); see the module doc. */
export async function attachPostgresAdapter(
  io: Server<any, any, any>,
  options: { databaseUrl: string; channel: string; logger: Logger; poolSize?: number },
): Promise<AdapterHandle> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 4, application_name: 'marketdesk-realtime' });
  let lastLogged = 0;
  const report = (error: unknown) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    options.logger.warn({ err: error }, 'realtime adapter error (the adapter retries by itself)');
  };
  pool.on('error', report);
  try {
    await ensureAttachmentTable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  io.adapter(createAdapter(pool, { channelPrefix: options.channel, tableName: ATTACHMENT_TABLE, errorHandler: report }));
  return {
    async close() {
      await pool.end().catch(() => undefined);
    },
  };
}
