/**
 * Data completeness (docs/storage.md): GET /api/gaps (missing 1m candles of an instrument against
 * its session calendar, with the feed events of the range) and GET /api/completeness (share of
 * expected buckets present per timeframe on one IST date).
 */
import { z } from 'zod';
import { DAY_MS, istDate } from '@/lib/market/session';
import { gapRangeSchema } from './candle';
import { booleanParam, isoDateTimeParam, isoTime, istDateParam, symbolParam, timeframeSchema } from './common';
import { resolveRange } from './intraday';

/** GET /api/gaps: symbol, from/to (default: the last 7 days, at most 92), allDays (default false). */
export const gapsQuerySchema = z
  .object({ symbol: symbolParam, allDays: booleanParam.default(false), from: isoDateTimeParam.optional(), to: isoDateTimeParam.optional() })
  .transform((query, ctx) => {
    const range = resolveRange(query, ctx, 7 * DAY_MS, 92 * DAY_MS);
    return range ? { ...query, ...range } : z.NEVER;
  });

/** GET /api/completeness: symbol, date (IST YYYY-MM-DD, default today in IST). */
export const completenessQuerySchema = z.object({
  symbol: symbolParam,
  date: istDateParam.default(() => istDate(Date.now())),
});

/** A feed lifecycle event (`feed_events`): a state entered, or a disconnect / reconnect. */
export const feedEventSchema = z
  .object({ time: isoTime, feed: z.string(), kind: z.string(), detail: z.string().nullable() })
  .meta({ id: 'FeedEvent' });

export const gapsResponseSchema = z.object({
  symbol: z.string(),
  from: isoTime,
  to: isoTime,
  expectedMinutes: z.number().int(),
  presentMinutes: z.number().int(),
  gaps: z.array(gapRangeSchema),
  feedEvents: z.array(feedEventSchema),
});

export const timeframeCompletenessSchema = z.object({
  timeframe: timeframeSchema,
  expected: z.number().int(),
  present: z.number().int(),
  /** present / expected (1 when nothing is expected). */
  ratio: z.number(),
});

export const completenessResponseSchema = z.object({
  symbol: z.string(),
  date: z.string(),
  tradingDay: z.boolean(),
  /** Holiday name or "weekend" when the date has no session. */
  closedReason: z.string().nullable(),
  timeframes: z.array(timeframeCompletenessSchema),
});
