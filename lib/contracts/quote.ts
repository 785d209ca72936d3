/**
 * Quotes: the latest price of an instrument with its change against the previous session's close
 * (lib/market/change.ts, docs/desk.md "Change: one definition").
 * - `Quote`: the domain quote (camelCase, epoch ms), what lib/db/queries/quotes.ts reads and the
 *   home page hands to its client component.
 * - `ApiQuote`: the same in JSON answers (snake_case, ISO time), GET /api/quotes.
 * - `WatchlistQuote`: a watchlist item's quote (GET /api/watchlists/{name}), the ApiQuote's price
 *   fields plus the day's high and low.
 * Prices in rupees, change_pct in percent, volume = cumulative day volume (0 for indices).
 */
import { z } from 'zod';
import { exchangeSchema, isoTime } from './common';

export const quoteSchema = z.object({
  instrumentToken: z.number().int(),
  exchange: exchangeSchema,
  tradingsymbol: z.string(),
  name: z.string().nullable(),
  /** Exchange time of the last tick, epoch ms UTC. */
  time: z.number(),
  /** Last traded price, rupees. */
  ltp: z.number(),
  /** Cumulative day volume at the last tick. */
  volume: z.number(),
  /** Previous session close before the last tick's IST day, rupees; null when unknown. */
  prevClose: z.number().nullable(),
  /** ltp − prevClose, rupees; null when prevClose is unknown. */
  change: z.number().nullable(),
  /** Change in percent of prevClose; null when prevClose is unknown. */
  changePct: z.number().nullable(),
});

export type Quote = z.infer<typeof quoteSchema>;

export const apiQuoteSchema = z
  .object({
    instrument_token: z.number().int(),
    exchange: exchangeSchema,
    tradingsymbol: z.string(),
    name: z.string().nullable(),
    time: isoTime,
    ltp: z.number(),
    volume: z.number(),
    prev_close: z.number().nullable(),
    change: z.number().nullable(),
    change_pct: z.number().nullable(),
  })
  .meta({ id: 'Quote' });

export type ApiQuote = z.infer<typeof apiQuoteSchema>;

export function toApiQuote(quote: Quote): ApiQuote {
  return {
    instrument_token: quote.instrumentToken,
    exchange: quote.exchange,
    tradingsymbol: quote.tradingsymbol,
    name: quote.name,
    time: new Date(quote.time).toISOString(),
    ltp: quote.ltp,
    volume: quote.volume,
    prev_close: quote.prevClose,
    change: quote.change,
    change_pct: quote.changePct,
  };
}

export function fromApiQuote(quote: ApiQuote): Quote {
  return {
    instrumentToken: quote.instrument_token,
    exchange: quote.exchange,
    tradingsymbol: quote.tradingsymbol,
    name: quote.name,
    time: Date.parse(quote.time),
    ltp: quote.ltp,
    volume: quote.volume,
    prevClose: quote.prev_close,
    change: quote.change,
    changePct: quote.change_pct,
  };
}

export const quotesResponseSchema = z.object({ quotes: z.array(apiQuoteSchema) });

export const watchlistQuoteSchema = apiQuoteSchema
  .pick({ ltp: true, prev_close: true, change: true, change_pct: true, volume: true, time: true })
  .extend({ day_high: z.number().nullable(), day_low: z.number().nullable() })
  .meta({ id: 'WatchlistQuote' });

export type WatchlistQuote = z.infer<typeof watchlistQuoteSchema>;
