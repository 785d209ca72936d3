/**
 * Server side of GET /api/indicators: read the candles /api/candles would answer, the warm-up
 * candles before them, and compute each study's series (lib/indicators/series.ts).
 * Imports the database: never import this from components.
 */
import type { Database } from '@/lib/db/client';
import { getCandles, type StoredCandle } from '@/lib/db/queries/candles';
import type { Timeframe } from '@/lib/market/timeframes';
import type { StudyBar } from './engines';
import { computeStudySeries, type StudyPoint } from './series';
import { studyId, type StudySpec } from './study-spec';
import { warmupFor } from './warmup';

const toBar = (c: StoredCandle): StudyBar => ({ bucket: c.bucket.getTime(), high: c.high, low: c.low, close: c.close, volume: c.volume });

/** Reads the candles of a range, oldest first (the newest 5,000). */
export type RangeReader = (range: { instrumentToken: number; timeframe: Timeframe; from: Date; to: Date }) => Promise<StoredCandle[]>;

/**
 * Series of `studies` for the candles of [from, to) (the newest 5,000), each warmed up on up to
 * warmupFor(studies) stored candles before the first of them.
 * @param readRange the range's candles: the route passes /api/candles' reader (worker memory,
 *   open candle included, then the database), so there is one point per candle that route
 *   answers; default: the database alone (getCandles).
 * @returns one `{ id, values }` per study, in the order given; `values` aligned with the candles.
 */
export async function loadStudySeries(
  db: Database,
  query: { instrumentToken: number; timeframe: Timeframe; from: Date; to: Date; studies: readonly StudySpec[] },
  readRange: RangeReader = (range) => getCandles(db, range),
): Promise<{ id: string; values: StudyPoint[] }[]> {
  const candles = await readRange({ instrumentToken: query.instrumentToken, timeframe: query.timeframe, from: query.from, to: query.to });
  const firstBucket = candles[0]?.bucket ?? query.from;
  const warmup = warmupFor(query.studies, query.timeframe);
  const history =
    warmup > 0
      ? await getCandles(db, { instrumentToken: query.instrumentToken, timeframe: query.timeframe, from: new Date(0), to: firstBucket, limit: warmup })
      : [];
  const bars = [...history, ...candles].map(toBar);
  const fromMs = firstBucket.getTime();
  return query.studies.map((spec) => ({ id: studyId(spec), values: computeStudySeries(spec, bars, fromMs) }));
}
