/**
 * The browser's one Socket.IO connection (a tab-wide singleton, created on first use).
 *
 * - Finds the server by asking GET /api/health for `realtimeUrl` once (falls back to the page's
 *   own origin when that fails).
 * - Components call `subscribeRealtime({ symbols, timeframes, onTicks, onCandle })` and get an
 *   unsubscribe function back. Subscriptions are reference-counted per symbol and per
 *   (symbol, timeframe); the server is told only about changes, and everything still wanted is
 *   re-sent after each (re)connect, because the server forgets a client's subscriptions when
 *   its socket goes away.
 * - Each callback receives only its own symbols / timeframes, whatever else the server sends.
 *
 * Browser only: never import this from server components or route handlers.
 */
import { io, type Socket } from 'socket.io-client';
import type { Candle, Tick } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import type { AlertEvent } from '@/lib/market/alerts';
import type { ClientToServerEvents, ServerToClientEvents, SubscriptionAck, SubscriptionRequest } from './events';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** connecting: first attempt under way; live: connected; offline: lost, retrying. */
export type ConnectionStatus = 'connecting' | 'live' | 'offline';

export interface RealtimeSubscription {
  symbols: readonly string[];
  /** Candle timeframes wanted for `symbols`; omit for ticks only. */
  timeframes?: readonly Timeframe[];
  /** Ticks of `symbols` (each batch filtered to them; never empty). */
  onTicks?: (ticks: Tick[]) => void;
  /** Candles of `symbols` × `timeframes`. */
  onCandle?: (candle: Candle) => void;
}

interface Entry {
  symbols: Set<string>;
  timeframes: Set<Timeframe>;
  onTicks?: (ticks: Tick[]) => void;
  onCandle?: (candle: Candle) => void;
}

const entries = new Set<Entry>();
const symbolRefs = new Map<string, number>();
const pairRefs = new Map<string, number>();
const statusListeners = new Set<(status: ConnectionStatus) => void>();
const alertListeners = new Set<(event: AlertEvent) => void>();
let status: ConnectionStatus = 'connecting';
let socketPromise: Promise<RealtimeSocket> | undefined;
let socket: RealtimeSocket | undefined;

const pairKey = (symbol: string, timeframe: Timeframe) => `${symbol}|${timeframe}`;

function setStatus(next: ConnectionStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of statusListeners) listener(next);
}

async function resolveRealtimeUrl(): Promise<string> {
  try {
    // 503 (degraded) still carries realtimeUrl, so the status code is not checked.
    const response = await fetch('/api/health', { cache: 'no-store' });
    const body = (await response.json()) as { realtimeUrl?: unknown };
    if (typeof body.realtimeUrl === 'string' && body.realtimeUrl) return body.realtimeUrl;
  } catch {
    // fall through to the page origin
  }
  return window.location.origin;
}

function logAck(action: string, request: SubscriptionRequest) {
  return (ack: SubscriptionAck) => {
    if (!ack.ok) console.warn(`[realtime] ${action} ${request.symbols.join(',')} refused: ${ack.error ?? 'unknown'}`);
  };
}

function emit(action: 'subscribe' | 'unsubscribe', request: SubscriptionRequest): void {
  if (!socket?.connected || request.symbols.length === 0) return;
  socket.emit(action, request, logAck(action, request));
}

/** Everything currently wanted, grouped into as few requests as possible. */
function resubscribeAll(): void {
  const tickOnly = [...symbolRefs.keys()];
  if (tickOnly.length) emit('subscribe', { symbols: tickOnly });
  const byTimeframe = new Map<Timeframe, string[]>();
  for (const key of pairRefs.keys()) {
    const [symbol, timeframe] = key.split('|') as [string, Timeframe];
    byTimeframe.set(timeframe, [...(byTimeframe.get(timeframe) ?? []), symbol]);
  }
  for (const [timeframe, symbols] of byTimeframe) emit('subscribe', { symbols, timeframes: [timeframe] });
}

function dispatchTicks(ticks: Tick[]): void {
  for (const entry of entries) {
    if (!entry.onTicks) continue;
    const mine = ticks.filter((tick) => entry.symbols.has(`${tick.exchange}:${tick.tradingsymbol}`));
    if (mine.length) entry.onTicks(mine);
  }
}

function dispatchCandle(candle: Candle): void {
  for (const entry of entries) {
    if (entry.onCandle && entry.symbols.has(candle.symbol) && entry.timeframes.has(candle.timeframe)) {
      entry.onCandle(candle);
    }
  }
}

/** The shared socket, connecting on first call. */
export function getRealtimeSocket(): Promise<RealtimeSocket> {
  socketPromise ??= resolveRealtimeUrl().then((url) => {
    // withCredentials: the session cookie also reaches a Socket.IO server on another origin
    // (`npm run web` + worker or realtime nodes), which authenticates the handshake with it.
    const created: RealtimeSocket = io(url, { reconnectionDelayMax: 5000, withCredentials: true });
    socket = created;
    created.on('connect', () => {
      setStatus('live');
      resubscribeAll();
    });
    created.on('disconnect', () => setStatus('offline'));
    created.on('connect_error', () => setStatus('offline'));
    created.on('ticks', dispatchTicks);
    created.on('candle', dispatchCandle);
    created.on('alert', (event) => {
      for (const listener of alertListeners) listener(event);
    });
    return created;
  });
  return socketPromise;
}

/** Subscribe to ticks (and candles, with `timeframes`); returns the matching unsubscribe. */
export function subscribeRealtime(subscription: RealtimeSubscription): () => void {
  const entry: Entry = {
    symbols: new Set(subscription.symbols),
    timeframes: new Set(subscription.timeframes ?? []),
    onTicks: subscription.onTicks,
    onCandle: subscription.onCandle,
  };
  entries.add(entry);

  const newSymbols: string[] = [];
  for (const symbol of entry.symbols) {
    const count = symbolRefs.get(symbol) ?? 0;
    symbolRefs.set(symbol, count + 1);
    if (count === 0) newSymbols.push(symbol);
  }
  if (newSymbols.length) emit('subscribe', { symbols: newSymbols });
  for (const timeframe of entry.timeframes) {
    const fresh: string[] = [];
    for (const symbol of entry.symbols) {
      const key = pairKey(symbol, timeframe);
      const count = pairRefs.get(key) ?? 0;
      pairRefs.set(key, count + 1);
      if (count === 0) fresh.push(symbol);
    }
    if (fresh.length) emit('subscribe', { symbols: fresh, timeframes: [timeframe] });
  }
  void getRealtimeSocket();

  let active = true;
  return () => {
    if (!active) return;
    active = false;
    entries.delete(entry);
    const goneSymbols: string[] = [];
    for (const symbol of entry.symbols) {
      const count = (symbolRefs.get(symbol) ?? 1) - 1;
      if (count > 0) symbolRefs.set(symbol, count);
      else {
        symbolRefs.delete(symbol);
        goneSymbols.push(symbol);
      }
    }
    for (const timeframe of entry.timeframes) {
      const gone: string[] = [];
      for (const symbol of entry.symbols) {
        const key = pairKey(symbol, timeframe);
        const count = (pairRefs.get(key) ?? 1) - 1;
        if (count > 0) pairRefs.set(key, count);
        else {
          pairRefs.delete(key);
          // A symbol leaving entirely is covered by the plain unsubscribe below.
          if (symbolRefs.has(symbol)) gone.push(symbol);
        }
      }
      if (gone.length) emit('unsubscribe', { symbols: gone, timeframes: [timeframe] });
    }
    if (goneSymbols.length) emit('unsubscribe', { symbols: goneSymbols });
  };
}

/** Follow the connection status (called at once with the current one); returns the unsubscribe. */
export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  statusListeners.add(listener);
  listener(status);
  void getRealtimeSocket();
  return () => {
    statusListeners.delete(listener);
  };
}

/** Follow fired user alerts (the `alert` event, sent to every tab); returns the unsubscribe. */
export function onRealtimeAlert(listener: (event: AlertEvent) => void): () => void {
  alertListeners.add(listener);
  void getRealtimeSocket();
  return () => {
    alertListeners.delete(listener);
  };
}
