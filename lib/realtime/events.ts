/**
 * The Socket.IO event map shared by the worker's server and browser code.
 *
 * Clients emit `subscribe` / `unsubscribe` with symbols ("NSE:INFY") and optional timeframes.
 * They then receive `ticks` (conflated per client, at most a few batches per second) for the
 * subscribed symbols, and `candle` for each subscribed (symbol, timeframe): the open candle's
 * updates (`closed: false`) and the final candle (`closed: true`).
 */
import type { Candle, Tick } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import type { AlertEvent } from '@/lib/market/alerts';

export interface SubscriptionRequest {
  symbols: string[];
  /** Candle timeframes wanted for these symbols; none means ticks only. */
  timeframes?: Timeframe[];
}

export interface SubscriptionAck {
  ok: boolean;
  /** The symbols of this request (subscribed or dropped when `ok`); never the connection's whole list. */
  symbols: string[];
  /** This connection's subscriptions (symbols + candle streams) after the request; at most 2,000. */
  subscribed: number;
  error?: string;
}

export interface ServerToClientEvents {
  ticks: (ticks: Tick[]) => void;
  candle: (candle: Candle) => void;
  /** A user alert fired (lib/market/alerts.ts): sent to every connected client, whatever it subscribed to. */
  alert: (event: AlertEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscriptionRequest, ack?: (result: SubscriptionAck) => void) => void;
  unsubscribe: (request: SubscriptionRequest, ack?: (result: SubscriptionAck) => void) => void;
}
