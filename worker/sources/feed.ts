/**
 * The contract every tick source implements (simulator, replay, and later Kite and Fyers).
 *
 * A feed is an async iterable of tick batches: the pipeline pulls the next batch only after it
 * has accepted the previous one, so a fast source (replay at max speed) is paced by the
 * pipeline instead of growing an unbounded queue.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';

export type FeedState = 'starting' | 'live' | 'finished' | 'stopped' | 'failed';

export interface FeedStatus {
  name: string;
  state: FeedState;
  ticksEmitted: number;
  /** Exchange time of the last emitted tick, epoch ms, or null. */
  lastTickTime: number | null;
  /** Human-readable detail (file being replayed, error message, …). */
  detail?: string;
}

export interface TickFeed {
  readonly name: string;
  /** Instruments the feed knows about up front (upserted into `instruments` at start). */
  instruments(): Instrument[];
  /**
   * Yields batches of ticks in exchange-time order until the source ends or `signal` aborts.
   * Errors in individual records are counted and skipped, never thrown.
   */
  ticks(signal: AbortSignal): AsyncIterable<Tick[]>;
  /**
   * The feed's clock, epoch ms: wall-clock time for live sources, the replay's virtual time
   * (exchange time of the replayed position) for replays. Used to close candles on time.
   */
  now(): number;
  status(): FeedStatus;
}
