/**
 * All broker collectors as one tick source (worker/sources/feed.ts), named `collectors`: each
 * collector added is drained (worker/sources/pump.ts) into one live queue, which the worker
 * pulls like any other source; when FEED=collectors it is the worker's main feed (its status is
 * the feed status in /api/health).
 *
 * Events: `events` carries the aggregate `collectors` state (stopped while none runs, live while
 * any is live, connecting otherwise); `collectorEvents` re-emits every collector's own state
 * change (`collector:<name>`), with a first report (previous null) when a collector is added.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { systemClock, type Clock } from '../sources/clock';
import type { FeedStatus, TickSource } from '../sources/feed';
import { LiveTickQueue } from '../sources/live-queue';
import { pumpSource } from '../sources/pump';
import { SourceEvents, StateTracker, type SourceState, type StateChange } from '../sources/source-events';
import type { Collector } from './collector';

export class CollectorsSource implements TickSource {
  readonly name = 'collectors';
  /** Aggregate state changes of `collectors`. */
  readonly events = new SourceEvents();
  /** Each collector's own state changes. */
  readonly collectorEvents = new SourceEvents();
  private readonly queue = new LiveTickQueue();
  private readonly members: Collector[] = [];
  private readonly tracker: StateTracker;
  private readonly drain = new AbortController();

  constructor(private readonly clock: Clock = systemClock) {
    this.tracker = new StateTracker(this.name, 'stopped', this.events, () => clock.now());
  }

  /** Start draining `collector` into this source and forwarding its state changes. */
  add(collector: Collector): void {
    this.members.push(collector);
    const forward = (change: StateChange) => {
      this.collectorEvents.emit('state', change);
      this.tracker.set(this.aggregate(), this.detail());
    };
    collector.events.on('state', forward);
    forward({ source: collector.sourceName, state: collector.state, previous: null, at: this.clock.now(), detail: null });
    void pumpSource(collector, (batch) => this.queue.push(batch), this.drain.signal);
  }

  /** Stop draining the collectors (shutdown); queued ticks stay for a last pull. */
  close(): void {
    this.drain.abort();
  }

  /** Ticks queued but not yet pulled. */
  get depth(): number {
    return this.queue.depth;
  }

  instruments(): Instrument[] {
    return [];
  }

  ticks(signal: AbortSignal): AsyncIterable<Tick[]> {
    return this.queue.batches(signal);
  }

  now(): number {
    return this.clock.now();
  }

  /** The collectors' aggregate status (ticks received, newest exchange time, per-collector states). */
  status(): FeedStatus {
    const statuses = this.members.map((c) => c.status());
    return {
      name: this.name,
      state: this.tracker.state,
      ticksEmitted: statuses.reduce((n, s) => n + s.ticksEmitted, 0),
      lastTickTime: statuses.reduce<number | null>((a, s) => (s.lastTickTime !== null && (a === null || s.lastTickTime > a) ? s.lastTickTime : a), null),
      detail: this.detail() ?? 'no collectors configured',
    };
  }

  private aggregate(): SourceState {
    const running = this.members.filter((c) => c.state !== 'stopped');
    if (running.length === 0) return 'stopped';
    return running.some((c) => c.state === 'live') ? 'live' : 'connecting';
  }

  private detail(): string | null {
    return this.members.map((c) => `${c.name}: ${c.state}`).join(', ') || null;
  }
}
