/**
 * A realtime node's view of the market: applies the worker's frames (frames.ts), in order
 * (frame-sequencer.ts), to its own copy of the latest ticks and open candles, and fans each
 * frame out to this node's clients at once (the worker already conflated it: at most one
 * `ticks` message per client per worker interval).
 *
 * Per frame: closed candles first (sent to their rooms; the open copy of that bucket dropped),
 * then the latest ticks and open candles, then one `ticks` array per client and the open candles
 * to their rooms. A full frame (sync answer) replaces the state without sending anything.
 * On start, on a new worker epoch and after a gap the relay asks the worker for a full frame
 * (`marketdesk:sync`). The request is a NOTIFY through the cluster adapter and can be lost (a
 * worker whose adapter publishes frames before its LISTEN is up, a dropped connection), so it is
 * asked again until a full frame arrives: after SYNC_RETRY_MS, doubling up to SYNC_RETRY_MAX_MS.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'socket.io';
import type { Candle, Tick } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { LocalFanOut } from './fan-out';
import { FRAME_EVENT, SYNC_EVENT, type Frame, type RealtimeServerSideEvents } from './frames';
import { FrameSequencer, type SequencerStats } from './frame-sequencer';

export type NodeServer = Server<ClientToServerEvents, ServerToClientEvents, RealtimeServerSideEvents>;

export interface RelayStats extends SequencerStats {
  clients: number;
  /** Symbols with a known latest tick. */
  symbols: number;
  /** Epoch ms of the last frame applied, or null. */
  lastFrameAt: number | null;
  /** Full frames (sync answers) applied. */
  syncs: number;
}

const key = (token: number, timeframe: string) => `${token}:${timeframe}`;

/** First wait (ms) for the full frame answering a sync request before asking again. */
export const SYNC_RETRY_MS = 2_000;
/** Longest wait (ms) between repeated sync requests. */
export const SYNC_RETRY_MAX_MS = 30_000;

export class Relay {
  readonly id = randomBytes(4).toString('hex');
  private readonly latest = new Map<string, Tick>();
  private readonly open = new Map<string, Candle>();
  private readonly fanOut: LocalFanOut;
  private readonly sequencer: FrameSequencer;
  private lastFrameAt: number | null = null;
  private syncs = 0;
  /** The repeat of an unanswered sync request, and the wait before it. */
  private syncRetry: NodeJS.Timeout | null = null;
  private syncRetryMs = SYNC_RETRY_MS;

  constructor(
    private readonly io: NodeServer,
    options: { gapMs?: number; onGap?: (missing: number) => void } = {},
  ) {
    this.fanOut = new LocalFanOut(io, {
      latestTick: (symbol) => this.latest.get(symbol),
      openCandle: (token, timeframe: Timeframe) => this.open.get(key(token, timeframe)),
    });
    this.sequencer = new FrameSequencer((frame) => this.apply(frame), {
      gapMs: options.gapMs,
      onEpoch: () => this.requestSync(),
      onGap: (missing) => {
        options.onGap?.(missing);
        this.requestSync();
      },
    });
    io.on(FRAME_EVENT, (frame) => this.sequencer.push(frame));
  }

  /** Ask the worker for a full frame (also done by itself on a new epoch or a gap). */
  requestSync(): void {
    this.io.serverSideEmit(SYNC_EVENT, { node: this.id });
    if (this.syncRetry) clearTimeout(this.syncRetry);
    this.syncRetry = setTimeout(() => {
      this.syncRetry = null;
      this.syncRetryMs = Math.min(this.syncRetryMs * 2, SYNC_RETRY_MAX_MS);
      this.requestSync();
    }, this.syncRetryMs);
    this.syncRetry.unref?.();
  }

  get stats(): RelayStats {
    return { ...this.sequencer.stats, clients: this.fanOut.clients, symbols: this.latest.size, lastFrameAt: this.lastFrameAt, syncs: this.syncs };
  }

  close(): void {
    this.sequencer.close();
    this.stopSyncRetry();
  }

  private stopSyncRetry(): void {
    if (this.syncRetry) clearTimeout(this.syncRetry);
    this.syncRetry = null;
    this.syncRetryMs = SYNC_RETRY_MS;
  }

  private apply(frame: Frame): void {
    this.lastFrameAt = Date.now();
    if (frame.full) {
      this.syncs++;
      this.stopSyncRetry();
      this.latest.clear();
      this.open.clear();
    }
    for (const candle of frame.closed) {
      const k = key(candle.instrumentToken, candle.timeframe);
      if (this.open.get(k)?.bucket === candle.bucket) this.open.delete(k);
      if (!frame.full) this.fanOut.deliverClosed(candle);
    }
    for (const tick of frame.ticks) this.latest.set(`${tick.exchange}:${tick.tradingsymbol}`, tick);
    for (const candle of frame.candles) this.open.set(key(candle.instrumentToken, candle.timeframe), candle);
    if (!frame.full) this.fanOut.deliver(frame.ticks, frame.candles);
  }
}
