/**
 * Candles, honestly two shapes:
 * - `Candle`, the domain candle: built by the aggregator, streamed over Socket.IO (`candle`),
 *   stored as 1m rows, fed to the scanner (bucket start epoch ms UTC). `Ohlcv` is its bar part,
 *   what storage and history give back without the live fields.
 * - `ApiCandle`, a candle in a JSON answer (`time` ISO UTC), read by the chart.
 * Prices in rupees; volume traded within the bucket (difference of cumulative day volume).
 */
import { z } from 'zod';
import { DAY_MS } from '@/lib/market/session';
import { epochMs, isoTime, isoDateTimeParam, symbolParam, timeframeSchema } from './common';

/** The bar of a candle: bucket start (epoch ms UTC), prices, volume, open interest. */
export const ohlcvSchema = z.object({
  /** Bucket start, epoch ms UTC. */
  bucket: epochMs,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  /** Traded quantity within the bucket (difference of cumulative day volume). */
  volume: z.number(),
  /** Last open interest seen in the bucket, or null. */
  oi: z.number().nullable(),
});

export type Ohlcv = z.infer<typeof ohlcvSchema>;

/** An OHLCV candle of one instrument on one timeframe (Socket.IO `candle`). */
export const candleSchema = ohlcvSchema
  .extend({
    instrumentToken: z.number().int(),
    /** "EXCHANGE:TRADINGSYMBOL". */
    symbol: z.string(),
    timeframe: timeframeSchema,
    /** True once the bucket has ended and the candle is final. */
    closed: z.boolean(),
    /**
     * True when the volume is known to be incomplete: the candle holds the first tick seen after a
     * start in the middle of a session with no stored baseline of that day (its cumulative volume
     * before the start is unknown). Gap repair replaces such 1m candles with the broker's.
     */
    partial: z.boolean().optional(),
  })
  .meta({ id: 'Candle' });

export type Candle = z.infer<typeof candleSchema>;

/** A 1m candle to store (lib/db/queries/candles.ts upsertOneMinuteCandles): a Candle without its live fields. */
export type OneMinuteCandle = Ohlcv & Pick<Candle, 'instrumentToken' | 'partial'>;

/**
 * A candle as storage reads it (lib/db/queries/candles.ts getCandles): the bar with its bucket as
 * a Date; 1d only: `provisional` true for the roll-up of live 1m candles, false for the broker's
 * official day candle (candles_1d_official).
 */
export type StoredCandle = Omit<Ohlcv, 'bucket'> & { bucket: Date; provisional?: boolean };

/** Where the open (not yet closed) candles are read: the aggregator, for snapshots, the broadcaster and the scanner. */
export interface OpenCandleSource {
  current(instrumentToken: number, timeframe: Candle['timeframe']): Candle | undefined;
}

/** A candle in a JSON answer. */
export const apiCandleSchema = z
  .object({
    /** Bucket start, ISO UTC (intraday: 09:15 IST + k × width; 1d: 00:00 IST). */
    time: isoTime,
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    volume: z.number(),
    oi: z.number().nullable(),
    /** 1d only: true for a day bar rolled up from live 1m candles, false once the broker's official day candle replaced it. */
    provisional: z.boolean().optional(),
  })
  .meta({ id: 'ApiCandle' });

export type ApiCandle = z.infer<typeof apiCandleSchema>;

/** The JSON form of a stored candle (`bucket` as a Date, as lib/db/queries/candles.ts reads it). */
export function toApiCandle(candle: StoredCandle): ApiCandle {
  return {
    time: candle.bucket.toISOString(),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    oi: candle.oi,
    ...(candle.provisional === undefined ? {} : { provisional: candle.provisional }),
  };
}

/**
 * History returned when `from` is omitted: about a screenful of candles per timeframe.
 * 1m covers three calendar days so that a Monday morning still shows Friday's session.
 */
export const DEFAULT_CANDLE_WINDOW_MS = {
  '1m': 3 * DAY_MS,
  '5m': 10 * DAY_MS,
  '15m': 30 * DAY_MS,
  '30m': 60 * DAY_MS,
  '1h': 120 * DAY_MS,
  '1d': 365 * DAY_MS,
} as const;

/** Longest `to − from` accepted per timeframe (400 beyond it). */
export const MAX_CANDLE_WINDOW_MS = {
  '1m': 31 * DAY_MS,
  '5m': 92 * DAY_MS,
  '15m': 183 * DAY_MS,
  '30m': 366 * DAY_MS,
  '1h': 731 * DAY_MS,
  '1d': 20 * 366 * DAY_MS,
} as const;

/**
 * The candle-range rules shared by every candle-shaped query (/api/candles, /api/indicators):
 * `to` defaults to now, `from` to `to` − DEFAULT_CANDLE_WINDOW_MS[timeframe]; from < to and
 * to − from ≤ MAX_CANDLE_WINDOW_MS[timeframe], else an issue on `from`. `defaultWindow` is true
 * when neither bound was given (the handler may then slide the window back to the instrument's
 * newest data: a replay of an older session, a weekend). Dates are UTC instants.
 */
export function candleRange(
  query: { timeframe: keyof typeof DEFAULT_CANDLE_WINDOW_MS; from?: string; to?: string },
  ctx: z.RefinementCtx,
): { from: Date; to: Date; defaultWindow: boolean } | typeof z.NEVER {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_CANDLE_WINDOW_MS[query.timeframe]);
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
  return { from, to, defaultWindow: !query.from && !query.to };
}

/**
 * GET /api/candles: `symbol` (required), `timeframe` (default 1m), `from` / `to` (ISO, optional).
 * Defaults: `to` = now, `from` = `to` − DEFAULT_CANDLE_WINDOW_MS[timeframe] (`defaultWindow: true`).
 * Rules: from < to, and to − from ≤ MAX_CANDLE_WINDOW_MS[timeframe].
 */
export const candlesQuerySchema = z
  .object({
    symbol: symbolParam,
    timeframe: timeframeSchema.default('1m'),
    from: isoDateTimeParam.optional(),
    to: isoDateTimeParam.optional(),
  })
  .transform((query, ctx) => {
    const range = candleRange(query, ctx);
    return range === z.NEVER ? z.NEVER : { ...query.symbol, timeframe: query.timeframe, ...range };
  });

export type CandlesQuery = z.output<typeof candlesQuerySchema>;

/** A run of missing 1m candles (`to` exclusive). */
export const gapRangeSchema = z.object({ from: isoTime, to: isoTime, minutes: z.number().int() }).meta({ id: 'GapRange' });

export const candlesResponseSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  from: isoTime,
  to: isoTime,
  candles: z.array(apiCandleSchema),
  /** 1m gap report from the database (ranges up to 92 days; `skipped` beyond). */
  gaps: z.object({ status: z.enum(['checked', 'skipped']), missing: z.array(gapRangeSchema) }),
});

export type CandlesResponse = z.infer<typeof candlesResponseSchema>;
