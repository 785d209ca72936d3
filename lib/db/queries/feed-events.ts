/**
 * Feed lifecycle events (`feed_events`, drizzle/0002_storage.sql): the worker records each feed
 * state change (starting → live → stopped/failed, a broker feed's disconnect and reconnect), so
 * the gap ledger can name the cause of a hole without scanning ticks.
 */
import type { Database } from '../client';

export interface FeedEvent {
  /** When it happened, UTC. */
  time: Date;
  feed: string;
  /** The feed state entered ('starting', 'live', 'reconnecting', 'stopped', 'failed', …) or 'start'/'stop'. */
  kind: string;
  detail: string | null;
}

/** Record one event. Throws the database error. */
export async function recordFeedEvent(db: Database, event: FeedEvent): Promise<void> {
  await db.query(`INSERT INTO feed_events (time, feed, kind, detail) VALUES ($1::timestamptz, $2, $3, $4)`, [
    event.time.toISOString(),
    event.feed,
    event.kind,
    event.detail,
  ]);
}

/** Events with time in [from, to), oldest first (at most `limit`, default 1,000). */
export async function getFeedEvents(db: Database, from: Date, to: Date, limit = 1000): Promise<FeedEvent[]> {
  const rows = await db.query<{ time: Date | string; feed: string; kind: string; detail: string | null }>(
    `SELECT time, feed, kind, detail FROM feed_events
     WHERE time >= $1::timestamptz AND time < $2::timestamptz ORDER BY time LIMIT $3`,
    [from.toISOString(), to.toISOString(), limit],
  );
  return rows.map((r) => ({ time: new Date(r.time), feed: r.feed, kind: r.kind, detail: r.detail }));
}
