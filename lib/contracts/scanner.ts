/**
 * The real-time scanner (worker/scanner; signals and score in docs/desk.md): the query of
 * GET /api/scanner and the worker's GET /scanner, and the ranked rows they answer.
 *
 * Units: prices in rupees, percentages in percent (1.5 = 1.5%), volumes in shares/contracts,
 * times epoch ms UTC. Indicator fields are null until there is enough history.
 */
import { z } from 'zod';
import { SCANNER_PRESETS } from '@/lib/market/scanner';
import { EXCHANGES, parseSymbol, symbolOf } from '@/lib/market/tick';
import { epochMs, exchangeSchema, intParam, timeframeSchema } from './common';

const cross = z.enum(['bullish', 'bearish']).nullable();

/** One scanner row: an instrument's signals on one timeframe. Null = not enough data yet. */
export const scannerRowSchema = z
  .object({
    instrumentToken: z.number().int(),
    /** "EXCHANGE:TRADINGSYMBOL". */
    symbol: z.string(),
    exchange: z.string(),
    tradingsymbol: z.string(),
    kind: z.enum(['index', 'equity', 'future', 'option']),
    timeframe: timeframeSchema,
    /** Exchange time of the last tick, epoch ms UTC. */
    time: epochMs,
    ltp: z.number(),
    /**
     * Previous session close, rupees: the feed's (tick prevClose), else the last stored daily
     * close before today's IST date (official first; lib/db/queries/previous-close.ts); null when
     * unknown, never the day's first price.
     */
    prevClose: z.number().nullable(),
    /** Day change vs prevClose: rupees and percent (lib/market/change.ts); null when prevClose is. */
    dayChange: z.number().nullable(),
    dayChangePct: z.number().nullable(),
    /** Today's open vs prevClose, percent (positive = gap up). */
    gapPct: z.number().nullable(),
    dayOpen: z.number().nullable(),
    dayHigh: z.number().nullable(),
    dayLow: z.number().nullable(),
    /** Cumulative day volume. */
    dayVolume: z.number(),
    /** LTP × day volume, rupees (most active ranking). */
    turnover: z.number(),
    /** Change of LTP vs the previous candle's close on this timeframe, percent (1d: = dayChangePct). */
    changePct: z.number().nullable(),
    /** Volume of the current candle on this timeframe (1d: day volume). */
    volume: z.number(),
    /**
     * Current volume ÷ the average volume of the previous ≤20 sessions for the same time of day
     * (intraday: the same bucket; 1d: cumulative volume up to the same minute). Null without history.
     */
    volumeRatio: z.number().nullable(),
    rsi: z.number().nullable(),
    macd: z.object({ macd: z.number(), signal: z.number(), histogram: z.number() }).nullable(),
    /** MACD line crossed the signal line on the current candle: 'bullish' (up) or 'bearish' (down). */
    macdCross: cross,
    bollinger: z.object({ upper: z.number(), middle: z.number(), lower: z.number() }).nullable(),
    /** %B: 0 at the lower band, 1 at the upper band. */
    percentB: z.number().nullable(),
    ema9: z.number().nullable(),
    ema21: z.number().nullable(),
    /** EMA(9) crossed EMA(21) on the current candle. */
    emaCross: cross,
    sma20: z.number().nullable(),
    sma50: z.number().nullable(),
    /** SMA(20) crossed SMA(50) on the current candle. */
    smaCross: cross,
    /** Highest high / lowest low of the previous N candles (N = breakoutLookback). */
    rangeHigh: z.number().nullable(),
    rangeLow: z.number().nullable(),
    /** LTP above rangeHigh ('up') or below rangeLow ('down'). */
    breakout: z.enum(['up', 'down']).nullable(),
    /** Day VWAP, rupees (exchange's average traded price when the feed gives it). */
    vwap: z.number().nullable(),
    /** (LTP − VWAP) ÷ VWAP, percent. */
    vwapDistancePct: z.number().nullable(),
    /** Opportunity score 0–100 (docs/desk.md) and its direction. */
    score: z.number(),
    bias: z.enum(['bullish', 'bearish', 'neutral']),
  })
  .meta({ id: 'ScannerRow' });

export type ScannerRow = z.infer<typeof scannerRowSchema>;

export const scannerPresetSchema = z.enum(SCANNER_PRESETS, { error: `expected one of ${SCANNER_PRESETS.join(', ')}` });

/**
 * GET /api/scanner and the worker's GET /scanner: `preset` (default top_gainers), `timeframe`
 * (default 1d), `limit` 1–500 (default 50), `exchange` (optional), `symbols` (optional,
 * comma-separated: rows of just these instruments, in that order, no preset filter).
 */
export const scannerQuerySchema = z.object({
  preset: scannerPresetSchema.default('top_gainers'),
  timeframe: timeframeSchema.default('1d'),
  limit: intParam(1, 500).default(50),
  exchange: exchangeSchema.optional(),
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
          ctx.addIssue({ code: 'custom', message: `expected EXCHANGE:TRADINGSYMBOL with EXCHANGE one of ${EXCHANGES.join(', ')}, got "${item.slice(0, 40)}"` });
          return z.NEVER;
        }
        out.push(symbolOf(parsed));
      }
      return out;
    })
    .meta({ description: 'comma-separated symbols, e.g. NSE:INFY,NSE:TCS' }),
});

/** A scanner query, as the scanner takes it (the parsed query string, or built by the watchlists). */
export interface ScannerQuery {
  preset: z.output<typeof scannerPresetSchema>;
  timeframe: z.output<typeof timeframeSchema>;
  limit: number;
  /** Only this exchange (NSE, NFO, …). */
  exchange?: string;
  /** Rows of just these "EXCHANGE:TRADINGSYMBOL" instruments, in this order (no preset filter or limit). */
  symbols?: readonly string[];
}

export const scannerResultSchema = z
  .object({
    preset: scannerPresetSchema,
    timeframe: timeframeSchema,
    /** When the snapshot was computed, epoch ms (wall clock). */
    asOf: epochMs,
    /** Instruments the scanner follows (all of them, before the preset filter). */
    universe: z.number().int(),
    rows: z.array(scannerRowSchema),
  })
  .meta({ id: 'ScannerResult' });

export type ScannerResult = z.infer<typeof scannerResultSchema>;
