/**
 * FEED=collectors: no built-in tick source; the configured broker collectors are the desk's
 * feed. This TickFeed yields nothing itself (collectors push into TickPipeline.accept) and
 * reports the collectors' aggregate status as the feed status shown in /api/health.
 */
import type { FeedStatus, TickFeed } from '../sources/feed';
import type { Collector } from './collector';

/** A feed that idles until aborted and describes `collectors()` in its status. */
export function createCollectorsFeed(collectors: () => Collector[]): TickFeed {
  return {
    name: 'collectors',
    instruments: () => [],
    now: () => Date.now(),
    async *ticks(signal: AbortSignal) {
      if (signal.aborted) return;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
    status(): FeedStatus {
      const list = collectors();
      const snaps = list.map((c) => c.snapshot(0));
      const ticksEmitted = snaps.reduce((n, s) => n + s.metrics.ticksReceived, 0);
      const last = snaps.map((s) => (s.metrics.lastExchangeTime ? Date.parse(s.metrics.lastExchangeTime) : 0)).reduce((a, b) => Math.max(a, b), 0);
      const running = snaps.filter((s) => s.state !== 'stopped');
      const state = running.length === 0 ? 'stopped' : running.some((s) => s.state === 'live') ? 'live' : 'starting';
      return {
        name: 'collectors',
        state,
        ticksEmitted,
        lastTickTime: last || null,
        detail: snaps.map((s) => `${s.name}: ${s.state}`).join(', ') || 'no collectors configured',
      };
    },
  };
}
