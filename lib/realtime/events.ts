/**
 * The Socket.IO event map shared by the worker's server and browser code.
 *
 * Clients emit `subscribe` / `unsubscribe` with symbols ("NSE:INFY") and optional timeframes.
 * They then receive `ticks` (conflated per client, at most a few batches per second) for the
 * subscribed symbols, and `candle` for each subscribed (symbol, timeframe): the open candle's
 * updates (`closed: false`) and the final candle (`closed: true`).
 */
import type { Candle, Tick } from '@/lib/market/tick';
import type { AlertEvent } from '@/lib/market/alerts';
import type { SubscriptionAck, SubscriptionRequest } from '@/lib/contracts/realtime';

// The subscribe request and ack are contracts (zod schemas in lib/contracts/realtime.ts).
export type { SubscriptionAck, SubscriptionRequest } from '@/lib/contracts/realtime';

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
