/**
 * Candle reads and writes. Reads pick the relation for the timeframe (candles_1m hypertable or
 * one of the real-time continuous aggregates); writes go to candles_1m only (continuous
 * aggregates are never written to).
 */
import { sql } from 'drizzle-orm';
import type { OneMinuteCandle, StoredCandle } from '@/lib/contracts/candle';
import { TIMEFRAME_MS, type Timeframe } from '@/lib/market/timeframes';
import type { Database } from '../client';
import { callRefreshContinuousAggregate } from './refresh-call';

/** The relation holding each timeframe (created by drizzle/0001_timescaledb.sql). */
export const CANDLE_RELATION: Record<Timeframe, string> = {
  '1m': 'candles_1m',
  '5m': 'candles_5m',
  '15m': 'candles_15m',
  '30m': 'candles_30m',
  '1h': 'candles_1h',
  '1d': 'candles_1d',
};

// The stored candle and the 1m candle to store are contracts (lib/contracts/candle.ts).
export type { OneMinuteCandle, StoredCandle } from '@/lib/contracts/candle';

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

/**
 * Upsert 1m candles (one set-based statement over `unnest` arrays). A candle for an existing
 * (instrument, bucket) replaces it: the worker re-sends a candle when a late tick amends it,
 * and an import of broker history overrides what the live feed built.
 */
export async function upsertOneMinuteCandles(db: Database, candles: readonly OneMinuteCandle[]): Promise<void> {
  if (candles.length === 0) return;
  const toArray = (values: (number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
  await db.query(
    `INSERT INTO candles_1m (bucket, instrument_token, open, high, low, close, volume, oi, partial)
     SELECT to_timestamp(b / 1000.0), t, o, h, l, c, v, oi, p
     FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[], $8::bigint[], $9::boolean[])
       AS u(b, t, o, h, l, c, v, oi, p)
     ON CONFLICT (instrument_token, bucket) DO UPDATE SET
       open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
       volume = EXCLUDED.volume, oi = EXCLUDED.oi, partial = EXCLUDED.partial`,
    [
      toArray(candles.map((c) => c.bucket)),
      toArray(candles.map((c) => c.instrumentToken)),
      toArray(candles.map((c) => c.open)),
      toArray(candles.map((c) => c.high)),
      toArray(candles.map((c) => c.low)),
      toArray(candles.map((c) => c.close)),
      toArray(candles.map((c) => c.volume)),
      toArray(candles.map((c) => c.oi)),
      `{${candles.map((c) => (c.partial ? 'true' : 'false')).join(',')}}`,
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
    await callRefreshContinuousAggregate(db, CANDLE_RELATION[timeframe], from.toISOString(), to.toISOString());
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

/**
 * The continuous aggregates over candles_1m, each after the one it is built on
 * (drizzle/0001_timescaledb.sql: 5m on 1m, 15m on 5m, 30m on 15m, 1h on 30m; 1d on 1m).
 */
export const CANDLE_AGGREGATES = ['5m', '15m', '30m', '1h', '1d'] as const;
export type CandleAggregate = (typeof CANDLE_AGGREGATES)[number];

/** Bucket widths of the intraday aggregates, ms (as lib/market/timeframes.ts TIMEFRAME_MS). */
const INTRADAY_AGGREGATE_WIDTH_MS: Record<Exclude<CandleAggregate, '1d'>, number> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '30m': 30 * 60_000,
  '1h': 60 * 60_000,
};

/**
 * The real-time watermark of every candle continuous aggregate, epoch ms UTC. A real-time
 * aggregate serves buckets starting before its watermark from its materialisation and
 * aggregates buckets at or after it from its source on every read, so a 1m candle written
 * into a bucket below the watermark is invisible in that aggregate until the bucket is
 * refreshed. -Infinity when nothing has been materialised yet (everything is real-time).
 *
 * TimescaleDB internals (kept here, the one place for them): the value is
 * `_timescaledb_functions.cagg_watermark(mat_hypertable_id)`, the very function the real-time
 * views compare against; it reads the catalog table `_timescaledb_catalog.continuous_aggs_watermark`
 * (no scan of the data). Verified on the embedded build (PGlite, TimescaleDB 2.23.0-dev); the
 * function and `_timescaledb_catalog.continuous_agg` are unchanged in TimescaleDB 2.28.3, the
 * server version (../shared/notes/platform.md). The internal value is microseconds since the Unix
 * epoch; `_timescaledb_functions.to_timestamp` turns it into a timestamptz (-infinity when unset).
 * Throws the database error, or an Error when an aggregate is missing (migrations not applied).
 */
export async function getCandleAggregateWatermarks(db: Database): Promise<Record<CandleAggregate, number>> {
  const relations = CANDLE_AGGREGATES.map((timeframe) => CANDLE_RELATION[timeframe]);
  const rows = await db.query<{ relation: string; watermark_ms: number | string }>(
    `SELECT ca.user_view_name::text AS relation,
            (extract(epoch FROM _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(ca.mat_hypertable_id))) * 1000)::float8 AS watermark_ms
     FROM _timescaledb_catalog.continuous_agg ca
     WHERE ca.user_view_schema = current_schema()
       AND ca.user_view_name IN (${relations.map((relation) => `'${relation}'`).join(', ')})`,
  );
  const byRelation = new Map(rows.map((row) => [row.relation, Number(row.watermark_ms)]));
  const watermarks = {} as Record<CandleAggregate, number>;
  for (const timeframe of CANDLE_AGGREGATES) {
    const watermark = byRelation.get(CANDLE_RELATION[timeframe]);
    if (watermark === undefined) throw new Error(`continuous aggregate ${CANDLE_RELATION[timeframe]} not found`);
    watermarks[timeframe] = watermark;
  }
  return watermarks;
}

/**
 * Materialise ONE candle continuous aggregate over at least [from, to) (UTC instants), from
 * what its source shows now. Give a window aligned to the aggregate's buckets (09:15-IST-anchored
 * for 5m…1h, IST days for 1d; lib/market/session.ts `bucketStart`/`bucketEnd`). Refresh a
 * hierarchical aggregate's parent over the same window first (5m before 15m …). Moves the
 * aggregate's watermark to the end of its newest materialised bucket when that is later.
 *
 * Quirk (measured on TimescaleDB 2.23, the embedded build): refresh_continuous_aggregate fits
 * the window to buckets of the *default* origin (multiples of the width since the Unix epoch),
 * not to the aggregate's 09:15 IST origin, so a window of exactly one 30m bucket (09:45–10:15 IST)
 * or 1h bucket fails with "refresh window too small". The window of 5m…1h is therefore widened
 * outward to whole multiples of the width since the epoch as well; whole buckets of the
 * aggregate's own origin that straddle the widened window's ends are still materialised whole
 * (verified against an oracle in test/db/aggregate-freshness.test.ts). The widened window also
 * fits a server (2.28.3) that aligns to the aggregate's origin. 1d (IST days) is used as given.
 * Throws the database error, e.g. "refresh window too small" when the window holds no whole
 * bucket, or "cannot run inside a transaction block" (TimescaleDB restriction).
 */
export async function refreshCandleAggregate(db: Database, timeframe: CandleAggregate, from: Date, to: Date): Promise<void> {
  let start = from.getTime();
  let end = to.getTime();
  if (timeframe !== '1d') {
    const width = INTRADAY_AGGREGATE_WIDTH_MS[timeframe];
    start = Math.min(start, Math.floor(start / width) * width);
    end = Math.max(end, Math.ceil(end / width) * width);
  }
  await callRefreshContinuousAggregate(db, CANDLE_RELATION[timeframe], new Date(start).toISOString(), new Date(end).toISOString());
}

/**
 * Which of `buckets` (bucket starts, epoch ms UTC) hold materialised rows (any instrument) in
 * the aggregate's materialisation hypertable, read through the public
 * `timescaledb_information.continuous_aggregates` view (TimescaleDB 2.23 embedded, 2.28.3 server).
 * The materialisation's time column is named like the view's (`bucket`). Returns the subset.
 * Throws the database error.
 */
export async function materialisedCandleBuckets(
  db: Database,
  timeframe: CandleAggregate,
  buckets: readonly number[],
): Promise<Set<number>> {
  if (buckets.length === 0) return new Set();
  const [target] = await db.query<{ name: string }>(
    `SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) AS name
     FROM timescaledb_information.continuous_aggregates
     WHERE view_schema = current_schema() AND view_name = $1`,
    [CANDLE_RELATION[timeframe]],
  );
  if (!target) throw new Error(`continuous aggregate ${CANDLE_RELATION[timeframe]} not found`);
  const rows = await db.query<{ ms: number | string }>(
    `SELECT DISTINCT (extract(epoch FROM bucket) * 1000)::float8 AS ms FROM ${target.name}
     WHERE bucket = ANY(SELECT to_timestamp(b / 1000.0) FROM unnest($1::float8[]) AS u(b))`,
    [`{${buckets.join(',')}}`],
  );
  return new Set(rows.map((row) => Number(row.ms)));
}

/**
 * The range a candle-shaped read covers (GET /api/candles, GET /api/indicators): `from`/`to` as
 * given, except that a default window (no `from`/`to` in the request) ending before the
 * instrument's newest stored 1m candle is moved to end at that candle instead (a
 * replayed past session, a long weekend), keeping its width. Epoch-based Dates, UTC.
 */
export async function resolveCandleWindow(
  db: Database,
  instrumentToken: number,
  query: { from: Date; to: Date; defaultWindow: boolean; timeframe: Timeframe },
): Promise<{ from: Date; to: Date }> {
  let { from, to } = query;
  if (query.defaultWindow) {
    const latest = await getLatestCandleTime(db, instrumentToken);
    if (latest && latest < from) {
      const width = to.getTime() - from.getTime();
      to = new Date(latest.getTime() + TIMEFRAME_MS[query.timeframe]);
      from = new Date(to.getTime() - width);
    }
  }
  return { from, to };
}
