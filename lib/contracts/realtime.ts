/**
 * Socket.IO (docs/api.md): what clients send with `subscribe` / `unsubscribe` and what the ack
 * carries. Validated by the worker's fan-out (worker/realtime/fan-out.ts); the event map that
 * types both ends is lib/realtime/events.ts. `ticks` carry Tick (./tick.ts), `candle` Candle
 * (./candle.ts), `alert` AlertEvent (./alert.ts).
 */
import { z } from 'zod';
import { TIMEFRAMES } from '@/lib/market/timeframes';

/** Most subscriptions (symbols + candle streams) one connection may hold. */
export const MAX_SOCKET_SUBSCRIPTIONS = 2_000;

export const subscriptionRequestSchema = z.object({
  symbols: z.array(z.string().min(1).max(64)).max(MAX_SOCKET_SUBSCRIPTIONS),
  /** Candle timeframes wanted for these symbols; none means ticks only. */
  timeframes: z.array(z.enum(TIMEFRAMES)).optional(),
});

export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

export const subscriptionAckSchema = z.object({
  ok: z.boolean(),
  /** The symbols of this request (subscribed or dropped when `ok`); never the connection's whole list. */
  symbols: z.array(z.string()),
  /** This connection's subscriptions (symbols + candle streams) after the request; at most 2,000. */
  subscribed: z.number().int(),
  error: z.string().optional(),
});

export type SubscriptionAck = z.infer<typeof subscriptionAckSchema>;
