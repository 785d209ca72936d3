/**
 * The intraday endpoints (GET /api/intraday/…): one session's candles, statistics, VWAP, stored
 * ticks and order book. `date` is an IST calendar date; when omitted, the instrument's latest
 * session.
 */
import { z } from 'zod';
import { DAY_MS } from '@/lib/market/session';
import { apiCandleSchema } from './candle';
import { intParam, isoDateTimeParam, istDateParam, symbolParam, timeframeSchema } from './common';
import { orderBookSchema, storedTickSchema } from './tick';

/** GET /api/intraday/{latest,stats,vwap,orderbook}: symbol, optional date (IST, default: the latest session). */
export const intradayQuerySchema = z.object({ symbol: symbolParam, date: istDateParam.optional() });

/** GET /api/intraday/today: symbol, timeframe (default 1m), optional date (IST). */
export const intradayCandlesQuerySchema = z.object({
  symbol: symbolParam,
  timeframe: timeframeSchema.default('1m'),
  date: istDateParam.optional(),
});

/** Resolve an optional ISO range: default the `defaultMs` before now; reject from ≥ to or a span over `maxMs`. */
export function resolveRange(
  query: { from?: string; to?: string },
  ctx: z.RefinementCtx,
  defaultMs: number,
  maxMs: number,
): { from: Date; to: Date } | null {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultMs);
  if (from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    return null;
  }
  if (to.getTime() - from.getTime() > maxMs) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `range too long: at most ${Math.round(maxMs / DAY_MS)} day(s)` });
    return null;
  }
  return { from, to };
}

/** GET /api/intraday/ticks: symbol, from/to (ISO; at most 1 day; default the last hour), limit (1–5,000, default 1,000), cursor. */
export const ticksQuerySchema = z
  .object({
    symbol: symbolParam,
    from: isoDateTimeParam.optional(),
    to: isoDateTimeParam.optional(),
    limit: intParam(1, 5000).default(1000),
    cursor: z.string().regex(/^\d+:\d+$/, 'expected the cursor returned by the previous page').optional(),
  })
  .transform((query, ctx) => {
    const range = resolveRange(query, ctx, 3_600_000, DAY_MS);
    return range ? { ...query, ...range } : z.NEVER;
  });

/** Day statistics of one session from its 1m candles. */
export const dayStatsSchema = z
  .object({
    date: z.string(),
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    /**
     * Previous session close, rupees: the last daily candle before `date` (official first, else
     * the provisional roll-up; lib/db/queries/previous-close.ts), or null when unknown.
     */
    previousClose: z.number().nullable(),
    /** close − previousClose, rupees, rounded to paise; null without a previous close (lib/market/change.ts). */
    change: z.number().nullable(),
    /** Change in percent of previousClose, rounded to 2 decimals; null without a previous close. */
    changePercent: z.number().nullable(),
    volume: z.number(),
    candles: z.number().int(),
  })
  .meta({ id: 'DayStats' });

export type DayStats = z.infer<typeof dayStatsSchema>;

/** VWAP of one session, three estimates. */
export const dayVwapSchema = z
  .object({
    date: z.string(),
    /** Σ(Δ cumulative volume × LTP) / Σ Δ volume over the day's stored ticks; null without traded volume. */
    vwapFromTicks: z.number().nullable(),
    /** The exchange's day average traded price on the last tick (Kite average_traded_price), or null. */
    exchangeAveragePrice: z.number().nullable(),
    /** Σ(typical price × volume) / Σ volume over the day's 1m candles (when ticks are gone), or null. */
    vwapFromCandles: z.number().nullable(),
    volume: z.number(),
  })
  .meta({ id: 'DayVwap' });

export type DayVwap = z.infer<typeof dayVwapSchema>;

export const latestCandleResponseSchema = z.object({ symbol: z.string(), candle: apiCandleSchema.omit({ provisional: true }).nullable() });

export const sessionCandlesResponseSchema = z.object({
  symbol: z.string(),
  date: z.string().nullable(),
  timeframe: timeframeSchema,
  candles: z.array(apiCandleSchema.omit({ provisional: true })),
});

export const dayStatsResponseSchema = z.object({ symbol: z.string(), stats: dayStatsSchema.nullable() });

export const dayVwapResponseSchema = z.object({ symbol: z.string(), vwap: dayVwapSchema.nullable() });

export const ticksPageSchema = z.object({
  ticks: z.array(storedTickSchema),
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});

export const ticksResponseSchema = ticksPageSchema.extend({ symbol: z.string(), from: z.string(), to: z.string() });

export const orderBookResponseSchema = z.object({ symbol: z.string(), orderBook: orderBookSchema.nullable() });
