/**
 * Local fan-out: this process's own Socket.IO clients, whatever adapter the server has.
 *
 * - `subscribe` / `unsubscribe` (docs/api.md): join/leave rooms `t:<symbol>` (ticks) and
 *   `c:<symbol>:<timeframe>` (candles); a subscribe answers at once with a snapshot of the latest
 *   known tick of each symbol and the open candle of each (symbol, timeframe) asked for.
 * - `deliver(ticks, candles)`: one `ticks` array per client holding the given ticks of its
 *   symbols, then each open candle to its room.
 * - `deliverClosed(candle)`: a closed candle to its room, at once.
 *
 * Encoded once per room, not per client (issue 12): clients with the same set of tick symbols
 * share a subscription-set room `s:<n>` (subscription-sets.ts), and `deliver` emits one `ticks`
 * array per set room that has changed symbols (`io.local.to(room).emit`: Socket.IO encodes the
 * packet and its WebSocket frame once and writes the same bytes to every member). Candles go
 * to their `c:` room, also once. The wire protocol is unchanged: each client still gets one
 * `ticks` array per interval with exactly its changed symbols. Cost per interval: one encode
 * per set room + one per candle room, plus a socket write per member; `stats.encodes` counts
 * the encodes (tests, bench). Sets are as many as distinct symbol lists, at most the clients.
 *
 * Everything is emitted locally (`io.local`, socket.emit): with a cluster adapter
 * (realtime nodes) nothing here is published to the other servers; the worker reaches them with
 * frames instead (frame-publisher.ts). Used by the worker's Broadcaster and by the nodes' relay.
 */
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import type { ClientToServerEvents, ServerToClientEvents, SubscriptionAck } from '@/lib/realtime/events';
import { candleRoom, tickRoom } from './frames';
import { subscriptionRequestSchema } from '@/lib/contracts/realtime';
import { capRefusal, subscriptionAck } from './subscription-cap';
import { SubscriptionSets } from './subscription-sets';

/** Any server-side event map: the worker's server and the nodes' (frames.ts) both fan out here. */
type AnyServer = Server<ClientToServerEvents, ServerToClientEvents, any>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** What a subscribe snapshot reads: the latest tick per symbol and the open candles. */
export interface SnapshotSource {
  latestTick(symbol: string): Tick | undefined;
  openCandle(instrumentToken: number, timeframe: Timeframe): Candle | undefined;
}

/** Counters since start: packets encoded by deliver/deliverClosed (one per room emitted to). */
export interface FanOutStats {
  encodes: number;
  /** Calls of deliver (conflation intervals with something to send). */
  intervals: number;
}

/** The symbols of a socket's tick rooms (`t:<symbol>`). */
function tickSymbolsOf(rooms: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const room of rooms) if (room.startsWith('t:')) out.push(room.slice(2));
  return out;
}

export class LocalFanOut {
  private readonly sets: SubscriptionSets;
  readonly stats: FanOutStats = { encodes: 0, intervals: 0 };

  constructor(
    private readonly io: AnyServer,
    private readonly snapshot: SnapshotSource,
  ) {
    this.sets = new SubscriptionSets((socketId, from, to) => {
      const socket = io.sockets.sockets.get(socketId);
      if (!socket) return;
      if (from) void socket.leave(from);
      if (to) void socket.join(to);
    });
    io.on('connection', (socket: RealtimeSocket) => this.attach(socket));
  }

  /** Distinct subscription sets (rooms `s:<n>`) held by local clients. */
  get subscriptionSets(): number {
    return this.sets.size;
  }

  /** Clients connected to this process. */
  get clients(): number {
    return this.io.engine?.clientsCount ?? 0;
  }

  /** True when at least one local client is in `room`. */
  hasRoom(room: string): boolean {
    return this.io.sockets.adapter.rooms.has(room);
  }

  /**
   * Send each local client one `ticks` array with the given ticks of its symbols (one encode per
   * subscription-set room that has any), and each open candle to its room (one encode per room).
   */
  deliver(ticks: Iterable<Tick>, candles: Iterable<Candle>): void {
    const rooms = this.io.sockets.adapter.rooms;
    this.stats.intervals++;
    // Ticks first: one write per client, while open candles are one write per (client, stream)
    // (20 per client at 20 symbols × 1m); written after them they would delay every tick.
    for (const [room, list] of this.sets.batches(ticks)) {
      if (!rooms.has(room)) continue;
      this.stats.encodes++;
      this.io.local.to(room).emit('ticks', list);
    }
    for (const candle of candles) {
      const room = candleRoom(candle.symbol, candle.timeframe);
      if (!rooms.has(room)) continue;
      this.stats.encodes++;
      this.io.local.to(room).emit('candle', candle);
    }
  }

  /** Send a closed candle to its local room now. */
  deliverClosed(candle: Candle): void {
    const room = candleRoom(candle.symbol, candle.timeframe);
    if (!this.hasRoom(room)) return;
    this.stats.encodes++;
    this.io.local.to(room).emit('candle', candle);
  }

  private attach(socket: RealtimeSocket): void {
    socket.on('disconnect', () => this.sets.remove(socket.id));
    socket.on('subscribe', (request, ack) => {
      const parsed = subscriptionRequestSchema.safeParse(request);
      if (!parsed.success) return ack?.(this.rejection(socket, parsed.error));
      const { symbols, timeframes = [] } = parsed.data;
      // Bounded per connection (subscription-cap.ts): refused whole, nothing joined.
      const refusal = capRefusal(socket.rooms, symbols.flatMap((symbol) => [tickRoom(symbol), ...timeframes.map((tf) => candleRoom(symbol, tf))]));
      if (refusal) return ack?.(subscriptionAck(false, [], socket.rooms, refusal));
      const snapshot: Tick[] = [];
      for (const symbol of symbols) {
        void socket.join(tickRoom(symbol));
        const tick = this.snapshot.latestTick(symbol);
        if (tick) snapshot.push(tick);
        for (const timeframe of timeframes) {
          void socket.join(candleRoom(symbol, timeframe));
          const candle = tick && this.snapshot.openCandle(tick.instrumentToken, timeframe);
          if (candle) socket.emit('candle', candle);
        }
      }
      this.sets.update(socket.id, tickSymbolsOf(socket.rooms));
      if (snapshot.length > 0) socket.emit('ticks', snapshot);
      ack?.(subscriptionAck(true, symbols, socket.rooms));
    });
    socket.on('unsubscribe', (request, ack) => {
      const parsed = subscriptionRequestSchema.safeParse(request);
      if (!parsed.success) return ack?.(this.rejection(socket, parsed.error));
      const { symbols, timeframes } = parsed.data;
      for (const symbol of symbols) {
        // Without timeframes: drop the symbol entirely. With them: only those candle streams.
        if (!timeframes) void socket.leave(tickRoom(symbol));
        for (const timeframe of timeframes ?? TIMEFRAMES) void socket.leave(candleRoom(symbol, timeframe));
      }
      if (!timeframes) this.sets.update(socket.id, tickSymbolsOf(socket.rooms));
      ack?.(subscriptionAck(true, symbols, socket.rooms));
    });
  }

  private rejection(socket: RealtimeSocket, error: z.ZodError): SubscriptionAck {
    const issue = error.issues[0];
    return subscriptionAck(false, [], socket.rooms, `${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
}
