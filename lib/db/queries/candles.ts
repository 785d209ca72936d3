/**
 * Candle reads and writes. Reads pick the relation for the timeframe (candles_1m hypertable or
 * one of the real-time continuous aggregates); writes go to candles_1m only (continuous
 * aggregates are never written to).
 */
import { sql } from 'drizzle-orm';
import type { Timeframe } from '@/lib/market/timeframes';
import type { Database } from '../client';

/** The relation holding each timeframe (created by drizzle/0001_timescaledb.sql). */
export const CANDLE_RELATION: Record<Timeframe, string> = {
  '1m': 'candles_1m',
  '5m': 'candles_5m',
  '15m': 'candles_15m',
  '30m': 'candles_30m',
  '1h': 'candles_1h',
  '1d': 'candles_1d',
};

/** A stored candle as returned to callers: bucket start as Date (UTC), prices in rupees. */
export interface StoredCandle {
  bucket: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number | null;
}

/**
 * Candles of one instrument with bucket start in [from, to), oldest first.
 * @param range.from / range.to  UTC instants; `to` is exclusive.
 * @param range.limit  at most this many candles (the newest `limit` of the range), default 5,000.
 */
export async function getCandles(
  db: Database,
  range: { instrumentToken: number; timeframe: Timeframe; from: Date; to: Date; limit?: number },
): Promise<StoredCandle[]> {
  const relation = sql.raw(CANDLE_RELATION[range.timeframe]);
  const limit = range.limit ?? 5000;
  const rows = await db.rows<StoredCandle & { bucket: Date | string; volume: number | string; oi: number | string | null }>(sql`
    SELECT * FROM (
      SELECT bucket, open, high, low, close, volume, oi
      FROM ${relation}
      WHERE instrument_token = ${range.instrumentToken}
        AND bucket >= ${range.from.toISOString()}::timestamptz
        AND bucket < ${range.to.toISOString()}::timestamptz
      ORDER BY bucket DESC
      LIMIT ${limit}
    ) newest ORDER BY bucket ASC`);
  return rows.map((row) => ({
    bucket: new Date(row.bucket),
    open: Number(row.open),
    high: Number(row.high),
    low: Number(row.low),
    close: Number(row.close),
    volume: Number(row.volume),
    oi: row.oi === null ? null : Number(row.oi),
  }));
}

/** A 1m candle to store; bucket start epoch ms UTC, prices in rupees. */
export interface OneMinuteCandle {
  instrumentToken: number;
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number | null;
}

/**
 * Upsert 1m candles (one set-based statement over `unnest` arrays). A candle for an existing
 * (instrument, bucket) replaces it: the worker re-sends a candle when a late tick amends it,
 * and an import of broker history overrides what the live feed built.
 */
export async function upsertOneMinuteCandles(db: Database, candles: readonly OneMinuteCandle[]): Promise<void> {
  if (candles.length === 0) return;
  const toArray = (values: (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
  await db.query(
    `INSERT INTO candles_1m (bucket, instrument_token, open, high, low, close, volume, oi)
     SELECT to_timestamp(b / 1000.0), t, o, h, l, c, v, oi
     FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[], $8::bigint[])
       AS u(b, t, o, h, l, c, v, oi)
     ON CONFLICT (instrument_token, bucket) DO UPDATE SET
       open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
       volume = EXCLUDED.volume, oi = EXCLUDED.oi`,
    [
      toArray(candles.map((c) => c.bucket)),
      toArray(candles.map((c) => c.instrumentToken)),
      toArray(candles.map((c) => c.open)),
      toArray(candles.map((c) => c.high)),
      toArray(candles.map((c) => c.low)),
      toArray(candles.map((c) => c.close)),
      toArray(candles.map((c) => c.volume)),
      toArray(candles.map((c) => c.oi)),
    ],
  );
}

/**
 * Materialise the continuous aggregates over [from, to) in hierarchy order (5m before 15m …),
 * e.g. after importing history older than their refresh window. Must not run inside a
 * transaction (TimescaleDB restriction).
 */
export async function refreshCandleAggregates(db: Database, from: Date, to: Date): Promise<void> {
  for (const timeframe of ['5m', '15m', '30m', '1h', '1d'] as const) {
    await db.query(`CALL refresh_continuous_aggregate($1, $2::timestamptz, $3::timestamptz)`, [
      CANDLE_RELATION[timeframe],
      from.toISOString(),
      to.toISOString(),
    ]);
  }
}

/** Bucket start of the newest stored 1m candle of an instrument, or null when it has none. */
export async function getLatestCandleTime(db: Database, instrumentToken: number): Promise<Date | null> {
  const rows = await db.query<{ bucket: Date | string }>(
    `SELECT bucket FROM candles_1m WHERE instrument_token = $1 ORDER BY bucket DESC LIMIT 1`,
    [instrumentToken],
  );
  return rows[0] ? new Date(rows[0].bucket) : null;
}
