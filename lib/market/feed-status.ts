/**
 * What the header badge says (components/ConnectionIndicator.tsx): one pure rule from the
 * browser's Socket.IO connection, the worker's feed status (GET /api/health `feed`, from
 * worker/feeds/feed.ts `FeedStatus`) and whether the NSE equity market is in session (GET
 * /api/health `market.open`, computed on the server from lib/market/sessions.ts
 * `configuredSessions().equity`, so MARKET_CALENDAR_EXTRA holidays and special sessions count).
 *
 * In this order:
 * 1. `offline`: the Socket.IO connection is lost (retrying); `connecting` before the first one.
 * 2. `finished` "Replay finished": the feed reached the end of its file (feed state 'finished').
 * 3. `failed` "Feed failed" / `stopped` "Feed stopped": the feed's own states.
 * 4. `replaying` "Replay": a replay feed still running (its ticks carry past exchange times, so
 *    they are neither live nor delayed).
 * 5. `live` "Live": the last tick's exchange time is at most `DELAYED_AFTER_MS` old.
 * 6. `delayed` "Delayed": no tick for more than `DELAYED_AFTER_MS` while the market is in session.
 * 7. `closed` "Market closed": otherwise (outside the session, weekend, holiday).
 *
 * Pure, no I/O, no server-only imports: safe in client bundles.
 */

/** No tick for longer than this (ms, wall clock − exchange time of the last tick) during market hours = Delayed. */
export const DELAYED_AFTER_MS = 30_000;

export type DeskStatusKind = 'connecting' | 'offline' | 'finished' | 'failed' | 'stopped' | 'replaying' | 'live' | 'delayed' | 'closed';

export const DESK_STATUS_LABEL: Record<DeskStatusKind, string> = {
  connecting: 'Connecting',
  offline: 'Offline',
  finished: 'Replay finished',
  failed: 'Feed failed',
  stopped: 'Feed stopped',
  replaying: 'Replay',
  live: 'Live',
  delayed: 'Delayed',
  closed: 'Market closed',
};

export interface DeskStatusInputs {
  /** The browser's Socket.IO connection (lib/realtime/client.ts ConnectionStatus). */
  connection: 'connecting' | 'live' | 'offline';
  /** The worker's feed (GET /api/health `feed`), or null while unknown. */
  feed: { name: string | null; state: string; lastTickTime: number | null } | null;
  /** NSE equity session open now (GET /api/health `market.open`), or null while unknown. */
  marketOpen: boolean | null;
  /** Wall clock, epoch ms. */
  now: number;
}

/** The badge's state (see the file comment for the rule). */
export function deskStatus(inputs: DeskStatusInputs): DeskStatusKind {
  const { connection, feed, marketOpen, now } = inputs;
  if (connection === 'offline') return 'offline';
  if (feed?.state === 'finished') return 'finished';
  if (feed?.state === 'failed') return 'failed';
  if (feed?.state === 'stopped') return 'stopped';
  if (connection === 'connecting' || !feed || feed.state === 'unknown' || feed.state === 'starting') return 'connecting';
  if (feed.name?.startsWith('replay')) return 'replaying';
  const fresh = feed.lastTickTime !== null && now - feed.lastTickTime <= DELAYED_AFTER_MS;
  if (fresh) return 'live';
  return marketOpen ? 'delayed' : 'closed';
}
