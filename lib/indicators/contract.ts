/**
 * The contract of GET /api/indicators (registered in lib/contracts/api.ts, so it is in the
 * OpenAPI document):
 *
 *   ?symbol=NSE:INFY&timeframe=5m&from=<ISO>&to=<ISO>&studies=sma:20,ema:50,vwap,bb:20:2,rsi:14,macd:12:26:9
 *   → { symbol, timeframe, from, to, studies: [{ id: "rsi:14", values: [{ time, value }] }] }
 *
 * `symbol`, `timeframe`, `from`, `to` mean what they mean for /api/candles (same defaults, same
 * range limits, same default window slid back to the newest stored candle), and `values` has one
 * point per candle of /api/candles for the same query. `studies` is a comma-separated list of
 * ids (lib/indicators/study-spec.ts), 1…12, duplicates merged; a bad one is a 400 naming
 * `query.studies`.
 */
import { z } from 'zod';
import { candleRange } from '@/lib/contracts/candle';
import { isoDateTimeParam, isoTime, requiredString, symbolParam, timeframeSchema } from '@/lib/contracts/common';
import { endpoint } from '@/lib/http/endpoint';
import { parseStudyId, studyId, STUDY_SYNTAX, type StudySpec } from './study-spec';

export const MAX_STUDIES = 12;

/** `sma:20,rsi:14` → StudySpec[] (canonical, de-duplicated). */
export const studiesParam = requiredString()
  .transform((text, ctx) => {
    const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) {
      ctx.addIssue({ code: 'custom', message: `expected a comma-separated list of ${STUDY_SYNTAX}` });
      return z.NEVER;
    }
    const specs = new Map<string, StudySpec>();
    for (const part of parts) {
      const spec = parseStudyId(part);
      if (typeof spec === 'string') {
        ctx.addIssue({ code: 'custom', message: spec });
        return z.NEVER;
      }
      specs.set(studyId(spec), spec);
    }
    if (specs.size > MAX_STUDIES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_STUDIES} studies` });
      return z.NEVER;
    }
    return [...specs.values()];
  })
  .meta({ description: `Comma-separated study ids: ${STUDY_SYNTAX}`, example: 'sma:20,ema:50,vwap,bb:20:2,rsi:14,macd:12:26:9' });

export const indicatorsQuerySchema = z
  .object({
    symbol: symbolParam,
    timeframe: timeframeSchema.default('1m'),
    from: isoDateTimeParam.optional(),
    to: isoDateTimeParam.optional(),
    studies: studiesParam,
  })
  .transform((query, ctx) => {
    const range = candleRange(query, ctx); // the /api/candles range rules
    return range === z.NEVER ? z.NEVER : { ...query.symbol, timeframe: query.timeframe, ...range, studies: query.studies };
  });

export type IndicatorsQuery = z.output<typeof indicatorsQuerySchema>;

const num = z.number().nullable();
const linePoint = z.object({ time: isoTime, value: num }).meta({ id: 'StudyLinePoint' });
const macdPoint = z.object({ time: isoTime, macd: num, signal: num, histogram: num }).meta({ id: 'StudyMacdPoint' });
const bandsPoint = z.object({ time: isoTime, upper: num, middle: num, lower: num }).meta({ id: 'StudyBandsPoint' });

export const studySeriesSchema = z
  .object({
    /** Canonical id: `rsi:14`, `macd:12:26:9`, `bb:20:2`, `vwap`. */
    id: z.string().meta({ example: 'rsi:14' }),
    values: z.array(z.union([linePoint, macdPoint, bandsPoint])),
  })
  .meta({ id: 'StudySeries' });

export const indicatorsResponseSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  from: isoTime,
  to: isoTime,
  studies: z.array(studySeriesSchema),
});

export type IndicatorsResponse = z.infer<typeof indicatorsResponseSchema>;

export const getIndicatorsEndpoint = endpoint({
  method: 'GET',
  path: '/api/indicators',
  tags: ['Market data'],
  summary: 'Study series (SMA, EMA, VWAP, Bollinger, RSI, MACD) of one instrument',
  description:
    'One point per candle of /api/candles for the same symbol, timeframe and range (null fields while a study is not defined yet), ' +
    'warmed up on stored candles before `from` so each value equals a computation over all stored candles (EMA/RSI/MACD converged to 1e-12). ' +
    'Computed with trading-signals, as the scanner. Definitions: docs/desk.md "Studies".',
  query: indicatorsQuerySchema,
  response: indicatorsResponseSchema,
  errors: ['invalid_request', 'not_found'],
});
