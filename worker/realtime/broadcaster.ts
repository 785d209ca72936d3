/**
 * Socket.IO broadcaster of the worker: clients receive only what they subscribed to.
 *
 * - `ticks`: conflated per client. The latest tick of each symbol since the last flush is kept;
 *   a flush sends each client one array with the latest tick of each of its symbols that
 *   changed, encoded once per subscription set (fan-out.ts), not once per client. Flushes follow
 *   conflation.ts: a tick after a quiet interval is sent at once, later ones when `conflateMs`
 *   (CONFLATE_MS, default 250 ms, i.e. at most 4 messages/s) has passed since the last flush.
 * - `candle`: the open candle of a subscribed (symbol, timeframe) is sent at the same cadence
 *   when it changed; a closed candle is sent immediately with `closed: true`.
 * - On subscribe the client gets the latest known tick and open candles at once (snapshot).
 *
 * Rooms: `t:<symbol>` for ticks, `c:<symbol>:<timeframe>` for candles (fan-out.ts serves this
 * process's clients). When the Socket.IO server has a cluster adapter (`npm run worker` with
 * REALTIME_ADAPTER=postgres), the same conflated stream also goes to the realtime nodes as one
 * frame per interval (frame-publisher.ts, docs/scaling.md); without one (`npm start`, the
 * default) nothing else happens.
 */
import type { OpenCandleSource } from '@/lib/contracts/candle';
import type { Server } from 'socket.io';
import { ClusterAdapter } from 'socket.io-adapter';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';
import { systemClock, type Clock } from '../sources/clock';
import { ConflationTimer } from './conflation';
import { LocalFanOut } from './fan-out';
import { FramePublisher } from './frame-publisher';
import { candleRoom } from './frames';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Source of open candles for snapshots and periodic updates (the aggregator; lib/contracts/candle.ts). */
export type { OpenCandleSource };

export class Broadcaster {
  private readonly latest = new Map<string, Tick>();
  private readonly changed = new Set<string>();
  private readonly timer: ConflationTimer;
  private readonly local: LocalFanOut;
  /** Set when the server has a cluster adapter: frames for the realtime nodes. */
  readonly publisher: FramePublisher | null;

  constructor(
    io: RealtimeServer,
    private readonly candles: OpenCandleSource,
    conflateMs = 250,
    clock: Clock = systemClock,
  ) {
    this.timer = new ConflationTimer(conflateMs, () => this.flush(), clock);
    this.local = new LocalFanOut(io, {
      latestTick: (symbol) => this.latest.get(symbol),
      openCandle: (token, timeframe) => candles.current(token, timeframe),
    });
    this.publisher = io.of('/').adapter instanceof ClusterAdapter ? new FramePublisher(io, candles, () => this.latest.values()) : null;
  }

  /** Start sending (flushes are scheduled by conflation.ts from here on). */
  start(): void {
    this.timer.start(this.changed.size > 0);
  }

  /** Stop sending conflated updates (a scheduled flush is cancelled) and answering node syncs. */
  stop(): void {
    this.timer.stop();
    this.publisher?.stop();
  }

  /** Number of clients connected to this process. */
  get clients(): number {
    return this.local.clients;
  }

  /** Packets encoded by the local fan-out since start, intervals sent, distinct subscription sets. */
  get fanOutStats(): { encodes: number; intervals: number; sets: number } {
    return { ...this.local.stats, sets: this.local.subscriptionSets };
  }

  /** Record a batch of ticks (cheap; sending happens on the conflation timer, conflation.ts). */
  onTicks(ticks: readonly Tick[]): void {
    for (const tick of ticks) {
      const symbol = `${tick.exchange}:${tick.tradingsymbol}`;
      this.latest.set(symbol, tick);
      this.changed.add(symbol);
    }
    if (ticks.length > 0) this.timer.mark();
  }

  /** Send a closed candle to its subscribers now (and to the nodes' on the next macrotask). */
  onClosedCandle(candle: Candle): void {
    this.local.deliverClosed(candle);
    this.publisher?.publishClosed(candle);
  }

  /** Send pending conflated ticks and open-candle updates. */
  flush(): void {
    if (this.changed.size === 0) return;
    const ticks: Tick[] = [];
    const candles: Candle[] = [];
    for (const symbol of this.changed) {
      const tick = this.latest.get(symbol)!;
      ticks.push(tick);
      for (const timeframe of TIMEFRAMES) {
        if (!this.local.hasRoom(candleRoom(symbol, timeframe))) continue;
        const candle = this.candles.current(tick.instrumentToken, timeframe);
        if (candle) candles.push(candle);
      }
    }
    this.changed.clear();
    this.local.deliver(ticks, candles);
    this.publisher?.publishFlush(ticks);
  }
}
