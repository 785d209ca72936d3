/**
 * Watchlists (docs/desk.md): 15 predefined lists (index, movers, sector; read-only) and the user's
 * own. Request bodies of /api/watchlists…, the list index, one list with a quote per instrument
 * (the watchlist page reads the same shape server-side), and `{ watchlist: { name, symbols } }`
 * answered by every change.
 */
import { z } from 'zod';
import { isoTime, symbolListSchema } from './common';
import { watchlistQuoteSchema } from './quote';

const watchlistName = z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'at most 40 characters');

/** Path param `{name}`: a predefined or user list, case-insensitive. */
export const watchlistParams = z.object({ name: z.string().min(1, 'required').max(200, 'too long') });

/** POST /api/watchlists: `{ name, symbols? }`. */
export const createWatchlistSchema = z.object({ name: watchlistName, symbols: symbolListSchema.default([]) });

/** PATCH /api/watchlists/{name}: rename (`name`) and/or reorder (`order`: every symbol once). */
export const updateWatchlistSchema = z
  .object({ name: watchlistName.optional(), order: symbolListSchema.optional() })
  .refine((body) => body.name !== undefined || body.order !== undefined, { message: 'expected name and/or order', path: ['name'] });

/** POST / DELETE /api/watchlists/{name}/items: `{ symbols }`. */
export const watchlistItemsSchema = z.object({ symbols: symbolListSchema.min(1, 'at least one symbol') });

/** POST /api/watchlists/merge: `{ sources, into }`. */
export const mergeWatchlistsSchema = z.object({
  sources: z.array(watchlistName, { error: 'expected an array of watchlist names' }).min(1, 'at least one list').max(20, 'at most 20 lists'),
  into: watchlistName,
});

/** A user list after a change: its name and symbols in list order. */
export const watchlistSymbolsSchema = z.object({ name: z.string(), symbols: z.array(z.string()) }).meta({ id: 'WatchlistSymbols' });

export const watchlistChangeResponseSchema = z.object({ watchlist: watchlistSymbolsSchema });

export const mergeWatchlistsResponseSchema = z.object({
  watchlist: watchlistSymbolsSchema,
  added: z.number().int(),
  /** Symbols of predefined sources unknown to the instruments master. */
  skipped: z.array(z.string()),
});

/** GET /api/watchlists. */
export const watchlistIndexSchema = z.object({
  predefined: z.array(
    z.object({
      name: z.string(),
      category: z.enum(['index', 'movers', 'sector']),
      description: z.string(),
      source: z.string(),
      /** null for dynamic lists (scanner presets). */
      size: z.number().int().nullable(),
      dynamic: z.boolean(),
    }),
  ),
  user: z.array(z.object({ name: z.string(), size: z.number().int(), created_at: isoTime, updated_at: isoTime })),
});

export type WatchlistIndex = z.infer<typeof watchlistIndexSchema>;

export const watchlistItemSchema = z
  .object({
    symbol: z.string(),
    instrument_token: z.number().int(),
    exchange: z.string(),
    tradingsymbol: z.string(),
    name: z.string().nullable(),
    quote: watchlistQuoteSchema.nullable(),
  })
  .meta({ id: 'WatchlistItem' });

export type WatchlistItem = z.infer<typeof watchlistItemSchema>;

/** GET /api/watchlists/{name}. */
export const watchlistSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['predefined', 'user']),
    category: z.enum(['index', 'movers', 'sector', 'user']),
    description: z.string().nullable(),
    source: z.string().nullable(),
    /** User lists can be edited; predefined ones cannot. */
    editable: z.boolean(),
    items: z.array(watchlistItemSchema),
    /** Symbols of a predefined list that the instruments master does not know (not shown). */
    missing: z.array(z.string()),
  })
  .meta({ id: 'Watchlist' });

export type Watchlist = z.infer<typeof watchlistSchema>;
