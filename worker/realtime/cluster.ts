/**
 * The stand-alone worker's side of the realtime cluster (docs/scaling.md): with
 * REALTIME_ADAPTER=postgres its Socket.IO server gets @socket.io/postgres-adapter
 * (postgres-adapter.ts), so that the Broadcaster also publishes one frame per conflation interval
 * to the realtime nodes and `alert` events reach every node's clients; with `none` (default)
 * nothing changes. Call before the worker starts (the Broadcaster checks the adapter once).
 *
 * @returns a handle whose `close()` ends the adapter's pool (a no-op without an adapter).
 * @throws the pg error when the database cannot be reached.
 */
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { RealtimeEnv } from '@/lib/config/realtime-env';
import { attachPostgresAdapter, type AdapterHandle } from './postgres-adapter';

/** Attach the configured adapter to `io` (any event maps). */
export async function attachRealtimeAdapter(io: Server<any, any, any>, env: RealtimeEnv, logger: Logger): Promise<AdapterHandle> {
  if (env.REALTIME_ADAPTER !== 'postgres' || !env.DATABASE_URL) return { close: async () => undefined };
  const handle = await attachPostgresAdapter(io, { databaseUrl: env.DATABASE_URL, channel: env.REALTIME_CHANNEL, logger });
  logger.info({ adapter: 'postgres', channel: env.REALTIME_CHANNEL }, 'realtime cluster adapter attached: frames go to the realtime nodes');
  return handle;
}
