/**
 * The contract every tick source implements: simulator, replay, and the broker collectors
 * (worker/collectors/collector.ts; together as worker/collectors/collectors-source.ts).
 *
 * - Ticks: an async iterable of tick batches. The consumer (worker/sources/pump.ts) takes the
 *   next batch only after the pipeline has accepted the previous one (its backpressure promise
 *   is awaited), so a fast source (replay at max speed) is paced by the pipeline instead of
 *   growing an unbounded queue. A live socket cannot be paused: its adapter queues decoded
 *   batches (worker/sources/live-queue.ts) and the consumer drains them in order.
 * - State: every change (starting, connecting, live, reconnecting, token_expired, finished,
 *   stopped, failed) is a typed `state` event on `events` (worker/sources/source-events.ts);
 *   `feed_events`, metrics and health subscribe, nothing polls.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import type { SourceEvents, SourceState } from './source-events';

export type FeedState = SourceState;

export interface FeedStatus {
  name: string;
  state: FeedState;
  ticksEmitted: number;
  /** Exchange time of the last emitted tick, epoch ms, or null. */
  lastTickTime: number | null;
  /** Human-readable detail (file being replayed, error message, …). */
  detail?: string;
}

export interface TickSource {
  readonly name: string;
  /** Instruments the source knows about up front (upserted into `instruments` at start). */
  instruments(): Instrument[];
  /**
   * Yields batches of ticks in arrival (exchange-time) order until the source ends or `signal`
   * aborts. Errors in individual records are counted and skipped, never thrown.
   */
  ticks(signal: AbortSignal): AsyncIterable<Tick[]>;
  /**
   * The source's clock, epoch ms: wall-clock time for live sources, the replay's virtual time
   * (exchange time of the replayed position) for replays. Used to close candles on time.
   */
  now(): number;
  status(): FeedStatus;
  /** Typed state-change events (`events.on('state', (change) => …)`). */
  readonly events: SourceEvents;
}

/** The worker's main source (FEED=simulator | replay | collectors): the same contract. */
export type TickFeed = TickSource;
