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
  /**
   * 1d only: true when the day bar is the roll-up of live 1m candles, false when it is the
   * broker's official day candle (candles_1d_official). Undefined for intraday timeframes.
   */
  provisional?: boolean;
}

/**
 * Candles of one instrument with bucket start in [from, to), oldest first. For 1d, the
 * broker's official day candle replaces the provisional roll-up wherever one is stored.
 * @param range.from / range.to  UTC instants; `to` is exclusive.
 * @param range.limit  at most this many candles (the newest `limit` of the range), default 5,000.
 */
export async function getCandles(
  db: Database,
  range: { instrumentToken: number; timeframe: Timeframe; from: Date; to: Date; limit?: number },
): Promise<StoredCandle[]> {
  const relation = sql.raw(CANDLE_RELATION[range.timeframe]);
  const limit = range.limit ?? 5000;
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  type Row = StoredCandle & { bucket: Date | string; volume: number | string; oi: number | string | null };
  const rows =
    range.timeframe === '1d'
      ? await db.rows<Row & { provisional: boolean }>(sql`
    SELECT * FROM (
      SELECT bucket,
             COALESCE(o.open, r.open) AS open, COALESCE(o.high, r.high) AS high, COALESCE(o.low, r.low) AS low,
             COALESCE(o.close, r.close) AS close, COALESCE(o.volume, r.volume) AS volume, COALESCE(o.oi, r.oi) AS oi,
             o.bucket IS NULL AS provisional
      FROM (SELECT * FROM candles_1d WHERE instrument_token = ${range.instrumentToken}
              AND bucket >= ${from}::timestamptz AND bucket < ${to}::timestamptz) r
      FULL JOIN (SELECT * FROM candles_1d_official WHERE instrument_token = ${range.instrumentToken}
              AND bucket >= ${from}::timestamptz AND bucket < ${to}::timestamptz) o USING (bucket)
      ORDER BY bucket DESC
      LIMIT ${limit}
    ) newest ORDER BY bucket ASC`)
      : await db.rows<Row>(sql`
    SELECT * FROM (
      SELECT bucket, open, high, low, close, volume, oi
      FROM ${relation}
      WHERE instrument_token = ${range.instrumentToken}
        AND bucket >= ${from}::timestamptz
        AND bucket < ${to}::timestamptz
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
    ...('provisional' in row ? { provisional: Boolean(row.provisional) } : {}),
  }));
}

/**
 * Store the broker's official day candles (bucket 00:00 IST, rupees), replacing earlier
 * versions. `source` names the broker ("kite").
 */
export async function upsertOfficialDailyCandles(
  db: Database,
  candles: readonly OneMinuteCandle[],
  source: string,
): Promise<void> {
  if (candles.length === 0) return;
  const list = (values: (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
  await db.query(
    `INSERT INTO candles_1d_official (bucket, instrument_token, open, high, low, close, volume, oi, source)
     SELECT to_timestamp(b / 1000.0), t, o, h, l, c, v, oi, $9
     FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[], $8::bigint[])
       AS u(b, t, o, h, l, c, v, oi)
     ON CONFLICT (instrument_token, bucket) DO UPDATE SET
       open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
       volume = EXCLUDED.volume, oi = EXCLUDED.oi, source = EXCLUDED.source, fetched_at = now()`,
    [
      list(candles.map((c) => c.bucket)),
      list(candles.map((c) => c.instrumentToken)),
      list(candles.map((c) => c.open)),
      list(candles.map((c) => c.high)),
      list(candles.map((c) => c.low)),
      list(candles.map((c) => c.close)),
      list(candles.map((c) => c.volume)),
      list(candles.map((c) => c.oi)),
      source,
    ],
  );
}

/**
 * Instruments with provisional day bars in [from, to): stored 1m candles on an IST day that
 * has no official day candle yet. Returns instrument tokens.
 */
export async function instrumentsWithProvisionalDays(db: Database, from: Date, to: Date): Promise<number[]> {
  const rows = await db.query<{ instrument_token: string | number }>(
    `SELECT DISTINCT r.instrument_token
     FROM candles_1d r
     LEFT JOIN candles_1d_official o USING (instrument_token, bucket)
     WHERE r.bucket >= $1 AND r.bucket < $2 AND o.bucket IS NULL`,
    [from.toISOString(), to.toISOString()],
  );
  return rows.map((row) => Number(row.instrument_token));
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
