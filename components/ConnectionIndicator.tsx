'use client';

import { useEffect, useState } from 'react';
import { formatTickTime } from '@/components/format';
import { DELAYED_AFTER_MS, DESK_STATUS_LABEL, deskStatus, type DeskStatusKind } from '@/lib/market/feed-status';
import { onConnectionStatus, type ConnectionStatus } from '@/lib/realtime/client';

/** How often the badge re-reads GET /api/health (ms). */
const HEALTH_POLL_MS = 5000;

const DOT: Record<DeskStatusKind, string> = {
  connecting: 'bg-accent animate-pulse',
  offline: 'bg-down',
  finished: 'bg-desk-faint',
  failed: 'bg-down',
  stopped: 'bg-desk-faint',
  replaying: 'bg-accent live-pulse',
  live: 'bg-up live-pulse',
  delayed: 'bg-amber-400',
  closed: 'bg-desk-faint',
};

const HINT: Record<DeskStatusKind, string> = {
  connecting: 'Connecting to the realtime server…',
  offline: 'Realtime connection lost, reconnecting…',
  finished: 'The replay reached the end of its file; no more ticks will arrive.',
  failed: 'The feed failed (see /api/health).',
  stopped: 'The feed was stopped.',
  replaying: 'Replaying recorded ticks (exchange times are those of the recording).',
  live: 'Ticks are arriving.',
  delayed: `No tick for more than ${DELAYED_AFTER_MS / 1000} s during market hours.`,
  closed: 'The NSE equity market is not in session.',
};

/** The parts of GET /api/health the badge reads. */
interface HealthFeed {
  feed: { name: string | null; state: string; lastTickTime: number | null } | null;
  marketOpen: boolean | null;
}

async function readHealth(signal: AbortSignal): Promise<HealthFeed> {
  const response = await fetch('/api/health', { cache: 'no-store', signal });
  // 503 (degraded) still carries the feed and market parts.
  const body = (await response.json()) as {
    feed?: { name?: string | null; state?: string; lastTickTime?: string | null };
    market?: { open?: boolean | null };
  };
  const last = body.feed?.lastTickTime ? Date.parse(body.feed.lastTickTime) : Number.NaN;
  return {
    feed: body.feed?.state
      ? { name: body.feed.name ?? null, state: body.feed.state, lastTickTime: Number.isFinite(last) ? last : null }
      : null,
    marketOpen: typeof body.market?.open === 'boolean' ? body.market.open : null,
  };
}

/**
 * Header badge: Live, Replay, Delayed, Market closed, Replay finished, Feed failed/stopped,
 * Offline or Connecting (rule: lib/market/feed-status.ts), from the shared Socket.IO connection
 * and GET /api/health polled every 5 s. The last tick's exchange time (IST, with its date when
 * it is not today) is shown next to it and in the tooltip.
 *
 * `data-status` is the Socket.IO connection (connecting | live | offline); `data-feed` is the
 * badge state (DeskStatusKind).
 */
export function ConnectionIndicator() {
  const [connection, setConnection] = useState<ConnectionStatus>('connecting');
  const [health, setHealth] = useState<HealthFeed>({ feed: null, marketOpen: null });
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => onConnectionStatus(setConnection), []);

  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      try {
        setHealth(await readHealth(controller.signal));
      } catch {
        // keep the last answer; the next poll retries
      }
      setNow(Date.now());
    };
    void poll();
    const timer = setInterval(poll, HEALTH_POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);

  const kind = deskStatus({ connection, feed: health.feed, marketOpen: health.marketOpen, now });
  const label = DESK_STATUS_LABEL[kind];
  const lastTick = health.feed?.lastTickTime ?? null;
  const lastTickText = lastTick !== null ? `last tick ${formatTickTime(lastTick, now)}` : null;
  return (
    <div
      data-testid="connection-status"
      data-status={connection}
      data-feed={kind}
      role="status"
      title={[HINT[kind], health.feed?.name ? `Feed: ${health.feed.name}` : null, lastTickText].filter(Boolean).join('\n')}
      className="flex items-center gap-2 rounded-full border border-desk-line bg-desk-raised px-2.5 py-1 text-xs text-desk-muted"
    >
      <span className={`h-2 w-2 rounded-full ${DOT[kind]}`} aria-hidden="true" />
      <span data-testid="connection-label" className={kind === 'live' ? 'text-desk-text' : undefined}>
        {label}
      </span>
      {kind !== 'live' && lastTickText && (
        <span data-testid="connection-last-tick" className="hidden text-desk-faint xl:inline">
          · {lastTickText}
        </span>
      )}
    </div>
  );
}
