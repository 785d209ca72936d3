/**
 * Zod schemas of the desk's JSON routes (watchlists, scanner, alerts) and of the worker's
 * GET /scanner. Query strings parse from the raw URLSearchParams object; bodies from JSON.
 * Failures become HTTP 400 naming the field (lib/api/errors.ts).
 */
import { z } from 'zod';
import { alertConditionSchema, alertTargetSchema } from '@/lib/market/alerts';
import { SCANNER_PRESETS } from '@/lib/market/scanner';
import { EXCHANGES, parseSymbol, symbolOf } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';

const symbol = z
  .string({ error: 'expected a symbol string' })
  .trim()
  .transform((value, ctx) => {
    const parsed = parseSymbol(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `expected EXCHANGE:TRADINGSYMBOL, e.g. NSE:INFY (got "${value.slice(0, 40)}")` });
      return z.NEVER;
    }
    return symbolOf(parsed);
  });

const symbolList = z.array(symbol, { error: 'expected an array of symbols' }).max(500, 'at most 500 symbols');
const watchlistName = z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'at most 40 characters');

/**
 * GET /api/scanner and the worker's GET /scanner: `preset` (default top_gainers), `timeframe`
 * (default 1d), `limit` 1–500 (default 50), `exchange` (optional), `symbols` (optional,
 * comma-separated: rows of just these instruments, in that order, no preset filter).
 */
export const scannerQuerySchema = z.object({
  preset: z.enum(SCANNER_PRESETS, { error: `expected one of ${SCANNER_PRESETS.join(', ')}` }).default('top_gainers'),
  timeframe: z.enum(TIMEFRAMES, { error: `expected one of ${TIMEFRAMES.join(', ')}` }).default('1d'),
  limit: z.coerce
    .number({ error: 'expected an integer' })
    .int('expected an integer')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
  exchange: z.enum(EXCHANGES, { error: `expected one of ${EXCHANGES.join(', ')}` }).optional(),
  symbols: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const list = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length > 500) {
        ctx.addIssue({ code: 'custom', message: 'at most 500 symbols' });
        return z.NEVER;
      }
      const out: string[] = [];
      for (const item of list) {
        const parsed = parseSymbol(item);
        if (!parsed) {
          ctx.addIssue({ code: 'custom', message: `expected EXCHANGE:TRADINGSYMBOL, got "${item.slice(0, 40)}"` });
          return z.NEVER;
        }
        out.push(symbolOf(parsed));
      }
      return out;
    }),
});

export type ScannerQueryInput = z.infer<typeof scannerQuerySchema>;

/** POST /api/watchlists: `{ name, symbols? }`. */
export const createWatchlistSchema = z.object({ name: watchlistName, symbols: symbolList.default([]) });

/** PATCH /api/watchlists/:name: rename (`name`) and/or reorder (`order`: every symbol once). */
export const updateWatchlistSchema = z
  .object({ name: watchlistName.optional(), order: symbolList.optional() })
  .refine((body) => body.name !== undefined || body.order !== undefined, { message: 'expected name and/or order', path: ['name'] });

/** POST / DELETE /api/watchlists/:name/items: `{ symbols }`. */
export const watchlistItemsSchema = z.object({ symbols: symbolList.min(1, 'at least one symbol') });

/** POST /api/watchlists/merge: `{ sources, into }`. */
export const mergeWatchlistsSchema = z.object({
  sources: z.array(watchlistName, { error: 'expected an array of watchlist names' }).min(1, 'at least one list').max(20, 'at most 20 lists'),
  into: watchlistName,
});

const webhookUrl = z
  .string()
  .trim()
  .url('expected an http(s) URL')
  .refine((value) => /^https?:\/\//i.test(value), 'expected an http(s) URL')
  .nullable();

/** POST /api/alerts. */
export const createAlertSchema = z.object({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(80, 'at most 80 characters'),
  condition: alertConditionSchema,
  target: alertTargetSchema,
  repeat: z.boolean({ error: 'expected true or false' }).default(false),
  cooldown_sec: z.number({ error: 'expected a number of seconds' }).int().min(0).max(86_400 * 7).default(300),
  webhook_url: webhookUrl.default(null),
  enabled: z.boolean({ error: 'expected true or false' }).default(true),
});

/** PATCH /api/alerts/:id: any field of the create body. */
export const updateAlertSchema = z.object({
  name: z.string().trim().min(1, 'required').max(80, 'at most 80 characters').optional(),
  condition: alertConditionSchema.optional(),
  target: alertTargetSchema.optional(),
  repeat: z.boolean({ error: 'expected true or false' }).optional(),
  cooldown_sec: z.number({ error: 'expected a number of seconds' }).int().min(0).max(86_400 * 7).optional(),
  webhook_url: webhookUrl.optional(),
  enabled: z.boolean({ error: 'expected true or false' }).optional(),
});

/** GET /api/alerts/events: `limit` 1–500 (default 100), `alert_id` (optional). */
export const alertEventsQuerySchema = z.object({
  limit: z.coerce.number({ error: 'expected an integer' }).int('expected an integer').min(1).max(500).default(100),
  alert_id: z.coerce.number({ error: 'expected an integer' }).int('expected an integer').positive().optional(),
});

/** A positive integer path id ("12"). */
export const idParamSchema = z.coerce.number({ error: 'expected an integer id' }).int('expected an integer id').positive('expected an integer id');
