/**
 * Batched history reads that warm-start the scanner (worker/scanner): the newest candles of many
 * instruments on one timeframe, and their average volume per IST minute of day over the previous
 * sessions. One statement per batch of instruments, not one per instrument.
 */
import { CANDLE_RELATION, type StoredCandle } from './candles';
import type { Timeframe } from '@/lib/market/timeframes';
import type { Database } from '../client';

const tokenArray = (tokens: readonly number[]) => `{${tokens.map((t) => String(Math.trunc(t))).join(',')}}`;

/**
 * The newest `perInstrument` candles of each instrument with bucket in [from, to), oldest first
 * per instrument. Instruments without candles are absent from the map.
 */
export async function getRecentCandlesForMany(
  db: Database,
  query: { instrumentTokens: readonly number[]; timeframe: Timeframe; from: Date; to: Date; perInstrument: number },
): Promise<Map<number, StoredCandle[]>> {
  const result = new Map<number, StoredCandle[]>();
  if (query.instrumentTokens.length === 0) return result;
  const relation = CANDLE_RELATION[query.timeframe];
  const rows = await db.query<{
    instrument_token: string | number;
    bucket: Date | string;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: string | number;
    oi: string | number | null;
  }>(
    `SELECT instrument_token, bucket, open, high, low, close, volume, oi FROM (
       SELECT instrument_token, bucket, open, high, low, close, volume, oi,
              row_number() OVER (PARTITION BY instrument_token ORDER BY bucket DESC) AS rn
       FROM ${relation}
       WHERE instrument_token = ANY($1::bigint[]) AND bucket >= $2::timestamptz AND bucket < $3::timestamptz
     ) newest WHERE rn <= $4
     ORDER BY instrument_token, bucket`,
    [tokenArray(query.instrumentTokens), query.from.toISOString(), query.to.toISOString(), query.perInstrument],
  );
  for (const row of rows) {
    const token = Number(row.instrument_token);
    let list = result.get(token);
    if (!list) result.set(token, (list = []));
    list.push({
      bucket: new Date(row.bucket),
      open: Number(row.open),
      high: Number(row.high),
      low: Number(row.low),
      close: Number(row.close),
      volume: Number(row.volume),
      oi: row.oi === null ? null : Number(row.oi),
    });
  }
  return result;
}

/** Total 1m volume per IST minute of day (0 … 1439) over `sessions` trading days. */
export interface MinuteVolumeHistory {
  minutes: Map<number, number>;
  sessions: number;
}

/**
 * Volume by IST minute of day over the last `sessions` (default 20) IST days before `before`
 * on which any of the instruments has 1m candles (looking back at most 45 days), and the number
 * of those days each instrument traded on.
 */
export async function getMinuteVolumeHistory(
  db: Database,
  instrumentTokens: readonly number[],
  before: Date,
  sessions = 20,
): Promise<Map<number, MinuteVolumeHistory>> {
  const result = new Map<number, MinuteVolumeHistory>();
  if (instrumentTokens.length === 0) return result;
  const params = [tokenArray(instrumentTokens), before.toISOString(), sessions];
  const window = `WITH days AS (
       SELECT DISTINCT date_trunc('day', bucket AT TIME ZONE 'Asia/Kolkata') AS day
       FROM candles_1m
       WHERE instrument_token = ANY($1::bigint[])
         AND bucket >= $2::timestamptz - interval '45 days' AND bucket < $2::timestamptz
       ORDER BY day DESC LIMIT $3
     ), lo AS (SELECT min(day) AT TIME ZONE 'Asia/Kolkata' AS since FROM days)`;
  const minuteRows = await db.query<{ instrument_token: string | number; minute: number; volume: number }>(
    `${window}
     SELECT c.instrument_token,
            (extract(hour FROM c.bucket AT TIME ZONE 'Asia/Kolkata') * 60
             + extract(minute FROM c.bucket AT TIME ZONE 'Asia/Kolkata'))::int AS minute,
            sum(c.volume)::float8 AS volume
     FROM candles_1m c, lo
     WHERE c.instrument_token = ANY($1::bigint[]) AND c.bucket >= lo.since AND c.bucket < $2::timestamptz
     GROUP BY 1, 2`,
    params,
  );
  const sessionRows = await db.query<{ instrument_token: string | number; sessions: number }>(
    `${window}
     SELECT c.instrument_token, count(DISTINCT date_trunc('day', c.bucket AT TIME ZONE 'Asia/Kolkata'))::int AS sessions
     FROM candles_1m c, lo
     WHERE c.instrument_token = ANY($1::bigint[]) AND c.bucket >= lo.since AND c.bucket < $2::timestamptz
     GROUP BY 1`,
    params,
  );
  for (const row of sessionRows) {
    result.set(Number(row.instrument_token), { minutes: new Map(), sessions: Number(row.sessions) });
  }
  for (const row of minuteRows) {
    result.get(Number(row.instrument_token))?.minutes.set(Number(row.minute), Number(row.volume));
  }
  return result;
}
