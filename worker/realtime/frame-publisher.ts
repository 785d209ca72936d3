/**
 * Worker side of the realtime nodes: publishes frames (frames.ts) through the Socket.IO server's
 * cluster adapter (`io.serverSideEmit`, e.g. @socket.io/postgres-adapter: pg_notify, payloads
 * over 8,000 bytes through its attachment table).
 *
 * - `publishFlush(ticks)`: one frame per conflation interval with the changed ticks and, for
 *   each of their instruments, the open candle on every timeframe; closed candles still queued go
 *   first in the same frame.
 * - `publishClosed(candle)`: queued and sent on the next macrotask (one frame for all candles a
 *   tick batch closed, e.g. 6 timeframes × N instruments at 09:20), so "at once" as in docs/api.md.
 * - A node's `marketdesk:sync` is answered with a full frame (every latest tick and open candle),
 *   at most one per 100 ms however many nodes ask.
 *
 * Publishing never throws: the adapter reports failures to its errorHandler (postgres-adapter.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'socket.io';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import type { OpenCandleSource } from './broadcaster';
import { FRAME_EVENT, SYNC_EVENT, type Frame } from './frames';

/** Any event maps: frames are server-side events (frames.ts). */
type ClusterServer = Server<any, any, any>;

export class FramePublisher {
  readonly epoch = randomBytes(6).toString('hex');
  private seq = 0;
  private closed: Candle[] = [];
  private closedScheduled = false;
  private syncTimer: NodeJS.Timeout | null = null;
  /** Frames published since start (tests, health). */
  published = 0;

  constructor(
    private readonly io: ClusterServer,
    private readonly candles: OpenCandleSource,
    /** Every symbol's latest tick (the broadcaster's map), for full frames. */
    private readonly latest: () => Iterable<Tick>,
  ) {
    io.on(SYNC_EVENT, () => this.scheduleFull());
  }

  /** Publish the changed ticks of one conflation interval with their open candles. */
  publishFlush(ticks: readonly Tick[]): void {
    if (ticks.length === 0 && this.closed.length === 0) return;
    this.publish(false, ticks, this.openCandlesOf(ticks));
  }

  /** Queue a closed (or amended) candle; sent on the next macrotask. */
  publishClosed(candle: Candle): void {
    this.closed.push({ ...candle });
    if (this.closedScheduled) return;
    this.closedScheduled = true;
    setImmediate(() => {
      this.closedScheduled = false;
      if (this.closed.length > 0) this.publish(false, [], []);
    });
  }

  /** Stop answering sync requests (pending closed candles are still sent). */
  stop(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
  }

  private scheduleFull(): void {
    this.syncTimer ??= setTimeout(() => {
      this.syncTimer = null;
      const ticks = [...this.latest()];
      this.publish(true, ticks, this.openCandlesOf(ticks));
    }, 100);
  }

  private openCandlesOf(ticks: readonly Tick[]): Candle[] {
    const out: Candle[] = [];
    for (const tick of ticks) {
      for (const timeframe of TIMEFRAMES) {
        const candle = this.candles.current(tick.instrumentToken, timeframe);
        // Copies: the aggregator's candles are live objects.
        if (candle) out.push({ ...candle });
      }
    }
    return out;
  }

  private publish(full: boolean, ticks: readonly Tick[], candles: Candle[]): void {
    // A full frame is not fanned out by the nodes: queued closed candles wait for the next one.
    const closed = full ? [] : this.closed;
    if (!full) this.closed = [];
    const frame: Frame = { epoch: this.epoch, seq: ++this.seq, full, closed, ticks: [...ticks], candles };
    this.published++;
    this.io.serverSideEmit(FRAME_EVENT, frame);
  }
}
