/**
 * The one normalised tick every source produces (worker/sources), stored (lib/db/queries/ticks.ts)
 * and streamed to browsers over Socket.IO (`ticks`, lib/realtime/events.ts); plus the stored-tick
 * rows of GET /api/intraday/ticks and the order book of GET /api/intraday/orderbook.
 *
 * Units: prices in rupees (Kite's binary protocol sends paise; its client divides by 100),
 * quantities in shares/contracts, times in epoch milliseconds UTC (ISO strings in JSON answers).
 */
import { z } from 'zod';
import { exchangeSchema, isoTime } from './common';

export const FEED_SOURCES = ['simulator', 'replay', 'kite', 'fyers'] as const;
/** Where a tick came from. */
export type FeedSource = (typeof FEED_SOURCES)[number];

/** One level of market depth. */
export const depthLevelSchema = z.object({ price: z.number(), quantity: z.number(), orders: z.number() }).meta({ id: 'DepthLevel' });
export type DepthLevel = z.infer<typeof depthLevelSchema>;

/** A normalised market tick (a conflated snapshot of one instrument). */
export const tickSchema = z
  .object({
    /** Broker instrument token (Kite's instrument_token; synthetic and stable for feeds without one). */
    instrumentToken: z.number().int(),
    exchange: exchangeSchema,
    tradingsymbol: z.string(),
    /** Exchange timestamp, epoch ms UTC. */
    exchangeTime: z.number(),
    /** Last traded price, rupees. */
    ltp: z.number(),
    /** Last traded quantity. */
    lastQuantity: z.number(),
    /** Cumulative day volume (Kite `volume_traded`); 0 for indices. */
    volume: z.number(),
    /** Exchange's average traded price for the day (day VWAP), rupees; null if unknown. */
    averagePrice: z.number().nullable(),
    /** Open interest (F&O); null when not applicable. */
    oi: z.number().nullable(),
    bidPrice: z.number().nullable(),
    bidQuantity: z.number().nullable(),
    askPrice: z.number().nullable(),
    askQuantity: z.number().nullable(),
    /** Optional 5-level depth (full mode). */
    depth: z.object({ buy: z.array(depthLevelSchema), sell: z.array(depthLevelSchema) }).optional(),
    /** Previous session close, rupees, when the feed supplies it (for change / % change). */
    prevClose: z.number().nullable().optional(),
    feed: z.enum(FEED_SOURCES),
  })
  .meta({ id: 'Tick' });

export type Tick = z.infer<typeof tickSchema>;

/** A stored tick as GET /api/intraday/ticks answers it (`time` ISO UTC). */
export const storedTickSchema = z
  .object({
    time: isoTime,
    ltp: z.number(),
    lastQuantity: z.number().nullable(),
    volume: z.number(),
    averagePrice: z.number().nullable(),
    oi: z.number().nullable(),
    bidPrice: z.number().nullable(),
    bidQuantity: z.number().nullable(),
    askPrice: z.number().nullable(),
    askQuantity: z.number().nullable(),
  })
  .meta({ id: 'StoredTick' });

export type StoredTick = z.infer<typeof storedTickSchema>;

/** A 5-level depth snapshot, best level first. */
export const orderBookSchema = z
  .object({ time: isoTime, bids: z.array(depthLevelSchema), asks: z.array(depthLevelSchema) })
  .meta({ id: 'OrderBook' });
