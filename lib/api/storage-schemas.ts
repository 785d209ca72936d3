/**
 * Query-string schemas of the storage routes (issue 4): gaps, completeness and the intraday
 * endpoints. Same conventions as lib/api/schemas.ts: handlers receive resolved values; failures
 * are HTTP 400 naming the field.
 */
import { z } from 'zod';
import { istDate } from '@/lib/market/session';
import { symbolParam, timeframeParam } from './schemas';

const DAY_MS = 86_400_000;

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time with offset, e.g. 2022-11-28T09:15:00+05:30',
});

const istDateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an IST date YYYY-MM-DD');

/** Resolve an optional ISO range: default the `defaultMs` before now; reject from ≥ to or a span over `maxMs`. */
function resolveRange(
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

const booleanParam = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');

/** GET /api/gaps: symbol, from/to (default: the last 7 days, at most 92), allDays (default false). */
export const gapsQuerySchema = z
  .object({ symbol: symbolParam, allDays: booleanParam.default(false), from: isoDateTime.optional(), to: isoDateTime.optional() })
  .transform((query, ctx) => {
    const range = resolveRange(query, ctx, 7 * DAY_MS, 92 * DAY_MS);
    return range ? { ...query, ...range } : z.NEVER;
  });

/** GET /api/completeness: symbol, date (IST YYYY-MM-DD, default today in IST). */
export const completenessQuerySchema = z.object({
  symbol: symbolParam,
  date: istDateParam.default(() => istDate(Date.now())),
});

/** GET /api/intraday/{latest,stats,vwap,orderbook}: symbol, optional date (IST, default: the instrument's latest session). */
export const intradayQuerySchema = z.object({
  symbol: symbolParam,
  date: istDateParam.optional(),
});

/** GET /api/intraday/today: symbol, timeframe (default 1m), optional date (IST). */
export const intradayCandlesQuerySchema = z.object({
  symbol: symbolParam,
  timeframe: timeframeParam.default('1m'),
  date: istDateParam.optional(),
});

/** GET /api/intraday/ticks: symbol, from/to (ISO; at most 1 day; default the last hour), limit (1–5,000, default 1,000), cursor (from the previous page). */
export const ticksQuerySchema = z
  .object({
    symbol: symbolParam,
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    limit: z.coerce.number({ error: 'expected an integer' }).int('expected an integer').min(1, 'must be at least 1').max(5000, 'must be at most 5000').default(1000),
    cursor: z.string().regex(/^\d+:\d+$/, 'expected the cursor returned by the previous page').optional(),
  })
  .transform((query, ctx) => {
    const range = resolveRange(query, ctx, 3_600_000, DAY_MS);
    return range ? { ...query, ...range } : z.NEVER;
  });
