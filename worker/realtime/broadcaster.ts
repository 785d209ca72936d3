/**
 * Socket.IO broadcaster: clients receive only what they subscribed to.
 *
 * - `ticks`: conflated per client. The latest tick of each symbol since the last flush is kept,
 *   and every `conflateMs` (default 250 ms, i.e. at most 4 messages/s) each client gets one
 *   array with the latest tick of each of its symbols that changed.
 * - `candle`: the open candle of a subscribed (symbol, timeframe) is sent at the same cadence
 *   when it changed; a closed candle is sent immediately with `closed: true`.
 * - On subscribe the client gets the latest known tick and open candles at once (snapshot).
 *
 * Rooms: `t:<symbol>` for ticks, `c:<symbol>:<timeframe>` for candles.
 */
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';
import type { ClientToServerEvents, ServerToClientEvents, SubscriptionAck } from '@/lib/realtime/events';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const subscriptionSchema = z.object({
  symbols: z.array(z.string().min(1).max(64)).max(5000),
  timeframes: z.array(z.enum(TIMEFRAMES)).optional(),
});

/** Source of open candles for snapshots and periodic updates (the aggregator). */
export interface OpenCandleSource {
  current(instrumentToken: number, timeframe: Timeframe): Candle | undefined;
}

export class Broadcaster {
  private readonly latest = new Map<string, Tick>();
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: RealtimeServer,
    private readonly candles: OpenCandleSource,
    private readonly conflateMs = 250,
  ) {
    io.on('connection', (socket) => this.attach(socket));
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.conflateMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Number of connected clients. */
  get clients(): number {
    return this.io.engine?.clientsCount ?? 0;
  }

  /** Record a batch of ticks (cheap; sending happens on the conflation timer). */
  onTicks(ticks: readonly Tick[]): void {
    for (const tick of ticks) {
      const symbol = `${tick.exchange}:${tick.tradingsymbol}`;
      this.latest.set(symbol, tick);
      this.changed.add(symbol);
    }
  }

  /** Send a closed candle to its subscribers now. */
  onClosedCandle(candle: Candle): void {
    this.io.to(`c:${candle.symbol}:${candle.timeframe}`).emit('candle', candle);
  }

  /** Send pending conflated ticks and open-candle updates. */
  flush(): void {
    if (this.changed.size === 0) return;
    const rooms = this.io.sockets.adapter.rooms;
    const perSocket = new Map<string, Tick[]>();
    for (const symbol of this.changed) {
      const tick = this.latest.get(symbol)!;
      const members = rooms.get(`t:${symbol}`);
      if (members) {
        for (const socketId of members) {
          let list = perSocket.get(socketId);
          if (!list) perSocket.set(socketId, (list = []));
          list.push(tick);
        }
      }
      for (const timeframe of TIMEFRAMES) {
        const room = `c:${symbol}:${timeframe}`;
        if (!rooms.has(room)) continue;
        const candle = this.candles.current(tick.instrumentToken, timeframe);
        if (candle) this.io.to(room).emit('candle', candle);
      }
    }
    this.changed.clear();
    for (const [socketId, ticks] of perSocket) this.io.to(socketId).emit('ticks', ticks);
  }

  private attach(socket: RealtimeSocket): void {
    socket.on('subscribe', (request, ack) => {
      const parsed = subscriptionSchema.safeParse(request);
      if (!parsed.success) return ack?.(this.rejection(socket, parsed.error));
      const { symbols, timeframes = [] } = parsed.data;
      const snapshot: Tick[] = [];
      for (const symbol of symbols) {
        void socket.join(`t:${symbol}`);
        const tick = this.latest.get(symbol);
        if (tick) snapshot.push(tick);
        for (const timeframe of timeframes) {
          void socket.join(`c:${symbol}:${timeframe}`);
          const candle = tick && this.candles.current(tick.instrumentToken, timeframe);
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
        if (!timeframes) void socket.leave(`t:${symbol}`);
        for (const timeframe of timeframes ?? TIMEFRAMES) void socket.leave(`c:${symbol}:${timeframe}`);
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
