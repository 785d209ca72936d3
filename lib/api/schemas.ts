/**
 * Query-string schemas shared by the JSON routes (app/api/*). Each one parses the raw
 * `URLSearchParams` object and resolves defaults, so handlers receive ready-to-use values.
 * Validation failures become HTTP 400 `{ error: { code: 'invalid_request', message: '<field>: …' } }`
 * through lib/api/errors.ts.
 */
import { z } from 'zod';
import { EXCHANGES, parseSymbol } from '@/lib/market/tick';
import { TIMEFRAMES, type Timeframe } from '@/lib/market/timeframes';

const DAY_MS = 24 * 60 * 60_000;

/**
 * History returned when `from` is omitted: about a screenful of candles per timeframe.
 * 1m covers three calendar days so that a Monday morning still shows Friday's session.
 */
export const DEFAULT_CANDLE_WINDOW_MS: Record<Timeframe, number> = {
  '1m': 3 * DAY_MS,
  '5m': 10 * DAY_MS,
  '15m': 30 * DAY_MS,
  '30m': 60 * DAY_MS,
  '1h': 120 * DAY_MS,
  '1d': 365 * DAY_MS,
};

/** Longest `to − from` accepted per timeframe (400 beyond it). */
export const MAX_CANDLE_WINDOW_MS: Record<Timeframe, number> = {
  '1m': 31 * DAY_MS,
  '5m': 92 * DAY_MS,
  '15m': 183 * DAY_MS,
  '30m': 366 * DAY_MS,
  '1h': 731 * DAY_MS,
  '1d': 20 * 366 * DAY_MS,
};

const requiredString = (what = 'a string') =>
  z.string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${what}`) });

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time with offset, e.g. 2025-01-15T03:45:00Z',
});

/** "EXCHANGE:TRADINGSYMBOL" → `{ symbol, exchange, tradingsymbol }` (exchange upper-cased). */
export const symbolParam = requiredString()
  .trim()
  .min(1, 'required')
  .transform((value, ctx) => {
    const parsed = parseSymbol(value);
    if (!parsed) {
      ctx.addIssue({
        code: 'custom',
        message: `expected EXCHANGE:TRADINGSYMBOL with EXCHANGE one of ${EXCHANGES.join(', ')}, e.g. NSE:INFY`,
      });
      return z.NEVER;
    }
    return { symbol: `${parsed.exchange}:${parsed.tradingsymbol}`, ...parsed };
  });

export const timeframeParam = z.enum(TIMEFRAMES, { error: `expected one of ${TIMEFRAMES.join(', ')}` });

/**
 * GET /api/candles: `symbol` (required), `timeframe` (default 1m), `from` / `to` (ISO, optional).
 * Defaults: `to` = now, `from` = `to` − DEFAULT_CANDLE_WINDOW_MS[timeframe] (`defaultWindow: true`).
 * Rules: from < to, and to − from ≤ MAX_CANDLE_WINDOW_MS[timeframe].
 */
export const candlesQuerySchema = z
  .object({
    symbol: symbolParam,
    timeframe: timeframeParam.default('1m'),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .transform((query, ctx) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DEFAULT_CANDLE_WINDOW_MS[query.timeframe]);
    if (from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
      return z.NEVER;
    }
    const maxMs = MAX_CANDLE_WINDOW_MS[query.timeframe];
    if (to.getTime() - from.getTime() > maxMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `range too long for timeframe ${query.timeframe}: at most ${Math.round(maxMs / DAY_MS)} days`,
      });
      return z.NEVER;
    }
    // No range given: the handler may slide the default window back to the instrument's data
    // (a replay of an older session, a weekend).
    const defaultWindow = !query.from && !query.to;
    return { ...query.symbol, timeframe: query.timeframe, from, to, defaultWindow };
  });

export type CandlesQuery = z.infer<typeof candlesQuerySchema>;

/** GET /api/instruments: `q` (1–40 characters, required), `limit` (1–100, default 20). */
export const instrumentsQuerySchema = z.object({
  q: requiredString().trim().min(1, 'required').max(40, 'at most 40 characters'),
  limit: z.coerce
    .number({ error: 'expected an integer' })
    .int('expected an integer')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(20),
});

export type InstrumentsQuery = z.infer<typeof instrumentsQuerySchema>;

/** GET /api/quotes takes no parameters (unknown ones are ignored). */
export const quotesQuerySchema = z.object({});
