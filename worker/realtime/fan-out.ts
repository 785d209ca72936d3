/**
 * Local fan-out: this process's own Socket.IO clients, whatever adapter the server has.
 *
 * - `subscribe` / `unsubscribe` (docs/api.md): join/leave rooms `t:<symbol>` (ticks) and
 *   `c:<symbol>:<timeframe>` (candles); a subscribe answers at once with a snapshot of the latest
 *   known tick of each symbol and the open candle of each (symbol, timeframe) asked for.
 * - `deliver(ticks, candles)`: one `ticks` array per client holding the given ticks of its
 *   symbols, and each open candle to its room.
 * - `deliverClosed(candle)`: a closed candle to its room, at once.
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

/** Any server-side event map: the worker's server and the nodes' (frames.ts) both fan out here. */
type AnyServer = Server<ClientToServerEvents, ServerToClientEvents, any>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const subscriptionSchema = z.object({
  symbols: z.array(z.string().min(1).max(64)).max(5000),
  timeframes: z.array(z.enum(TIMEFRAMES)).optional(),
});

/** What a subscribe snapshot reads: the latest tick per symbol and the open candles. */
export interface SnapshotSource {
  latestTick(symbol: string): Tick | undefined;
  openCandle(instrumentToken: number, timeframe: Timeframe): Candle | undefined;
}

export class LocalFanOut {
  constructor(
    private readonly io: AnyServer,
    private readonly snapshot: SnapshotSource,
  ) {
    io.on('connection', (socket: RealtimeSocket) => this.attach(socket));
  }

  /** Clients connected to this process. */
  get clients(): number {
    return this.io.engine?.clientsCount ?? 0;
  }

  /** True when at least one local client is in `room`. */
  hasRoom(room: string): boolean {
    return this.io.sockets.adapter.rooms.has(room);
  }

  /** Send each local client one `ticks` array with the given ticks of its symbols, and each open candle to its room. */
  deliver(ticks: Iterable<Tick>, candles: Iterable<Candle>): void {
    const rooms = this.io.sockets.adapter.rooms;
    const perSocket = new Map<string, Tick[]>();
    for (const tick of ticks) {
      const members = rooms.get(tickRoom(`${tick.exchange}:${tick.tradingsymbol}`));
      if (!members) continue;
      for (const socketId of members) {
        let list = perSocket.get(socketId);
        if (!list) perSocket.set(socketId, (list = []));
        list.push(tick);
      }
    }
    for (const candle of candles) {
      const room = candleRoom(candle.symbol, candle.timeframe);
      if (rooms.has(room)) this.io.local.to(room).emit('candle', candle);
    }
    const sockets = this.io.sockets.sockets;
    for (const [socketId, list] of perSocket) sockets.get(socketId)?.emit('ticks', list);
  }

  /** Send a closed candle to its local room now. */
  deliverClosed(candle: Candle): void {
    const room = candleRoom(candle.symbol, candle.timeframe);
    if (this.hasRoom(room)) this.io.local.to(room).emit('candle', candle);
  }

  private attach(socket: RealtimeSocket): void {
    socket.on('subscribe', (request, ack) => {
      const parsed = subscriptionSchema.safeParse(request);
      if (!parsed.success) return ack?.(this.rejection(socket, parsed.error));
      const { symbols, timeframes = [] } = parsed.data;
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
      if (snapshot.length > 0) socket.emit('ticks', snapshot);
      ack?.({ ok: true, symbols: this.symbolsOf(socket) });
    });
    socket.on('unsubscribe', (request, ack) => {
      const parsed = subscriptionSchema.safeParse(request);
      if (!parsed.success) return ack?.(this.rejection(socket, parsed.error));
      const { symbols, timeframes } = parsed.data;
      for (const symbol of symbols) {
        // Without timeframes: drop the symbol entirely. With them: only those candle streams.
        if (!timeframes) void socket.leave(tickRoom(symbol));
        for (const timeframe of timeframes ?? TIMEFRAMES) void socket.leave(candleRoom(symbol, timeframe));
      }
      ack?.({ ok: true, symbols: this.symbolsOf(socket) });
    });
  }

  private symbolsOf(socket: RealtimeSocket): string[] {
    return [...socket.rooms].filter((room) => room.startsWith('t:')).map((room) => room.slice(2));
  }

  private rejection(socket: RealtimeSocket, error: z.ZodError): SubscriptionAck {
    const issue = error.issues[0];
    return { ok: false, symbols: this.symbolsOf(socket), error: `${issue.path.join('.') || 'request'}: ${issue.message}` };
  }
}
