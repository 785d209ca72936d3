-- TimescaleDB layout (hand-written; the same SQL runs on embedded PGlite+TimescaleDB and on a
-- TimescaleDB server).
--
-- * ticks and candles_1m are hypertables.
-- * candles_5m .. candles_1h are hierarchical continuous aggregates (5m on 1m, 15m on 5m,
--   30m on 15m, 1h on 30m), bucketed with origin 09:15 IST so that buckets start at the NSE
--   session open as Kite's do (1h: 09:15, 10:15, ..., 15:15). time_bucket's default origin
--   would put hour bars at 08:30/09:30 IST.
-- * candles_1d buckets candles_1m by IST calendar day (00:00 IST, Kite's day-candle stamp).
--   It cannot sit on candles_1h: TimescaleDB refuses hierarchical aggregates whose bucket
--   origins differ.
-- * All aggregates are real-time (materialized_only = false): a query sees the materialised
--   part plus the not-yet-materialised tail of candles_1m.
-- * Continuous aggregates are created WITH NO DATA so this file can run inside the
--   migrator's transaction; the refresh policies (or a manual refresh) fill them.
CREATE EXTENSION IF NOT EXISTS timescaledb;
--> statement-breakpoint
-- ticks keeps one B-tree, (instrument_token, time DESC) from 0000_tables.sql, and no default
-- time index: every query on ticks names an instrument, chunk exclusion covers time ranges,
-- and each extra index costs ~30% of COPY throughput on this hot path.
SELECT create_hypertable('ticks', by_range('time', INTERVAL '1 day'), create_default_indexes => false, if_not_exists => true);
--> statement-breakpoint
SELECT create_hypertable('candles_1m', by_range('bucket', INTERVAL '7 days'), if_not_exists => true);
--> statement-breakpoint
CREATE MATERIALIZED VIEW candles_5m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', bucket, origin => '2000-01-03 09:15:00+05:30'::timestamptz) AS bucket,
       instrument_token,
       first(open, bucket)          AS open,
       max(high)                    AS high,
       min(low)                     AS low,
       last(close, bucket)          AS close,
       sum(volume)::bigint          AS volume,
       last(oi, bucket)             AS oi
FROM candles_1m
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE MATERIALIZED VIEW candles_15m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '15 minutes', bucket, origin => '2000-01-03 09:15:00+05:30'::timestamptz) AS bucket,
       instrument_token,
       first(open, bucket)          AS open,
       max(high)                    AS high,
       min(low)                     AS low,
       last(close, bucket)          AS close,
       sum(volume)::bigint          AS volume,
       last(oi, bucket)             AS oi
FROM candles_5m
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE MATERIALIZED VIEW candles_30m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '30 minutes', bucket, origin => '2000-01-03 09:15:00+05:30'::timestamptz) AS bucket,
       instrument_token,
       first(open, bucket)          AS open,
       max(high)                    AS high,
       min(low)                     AS low,
       last(close, bucket)          AS close,
       sum(volume)::bigint          AS volume,
       last(oi, bucket)             AS oi
FROM candles_15m
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE MATERIALIZED VIEW candles_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', bucket, origin => '2000-01-03 09:15:00+05:30'::timestamptz) AS bucket,
       instrument_token,
       first(open, bucket)          AS open,
       max(high)                    AS high,
       min(low)                     AS low,
       last(close, bucket)          AS close,
       sum(volume)::bigint          AS volume,
       last(oi, bucket)             AS oi
FROM candles_30m
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE MATERIALIZED VIEW candles_1d
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', bucket, 'Asia/Kolkata') AS bucket,
       instrument_token,
       first(open, bucket)          AS open,
       max(high)                    AS high,
       min(low)                     AS low,
       last(close, bucket)          AS close,
       sum(volume)::bigint          AS volume,
       last(oi, bucket)             AS oi
FROM candles_1m
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
-- Refresh policies: materialise closed buckets; the open bucket is served in real time.
SELECT add_continuous_aggregate_policy('candles_5m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '5 minutes', schedule_interval => INTERVAL '1 minute', if_not_exists => true);
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('candles_15m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '15 minutes', schedule_interval => INTERVAL '5 minutes', if_not_exists => true);
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('candles_30m', start_offset => INTERVAL '7 days', end_offset => INTERVAL '30 minutes', schedule_interval => INTERVAL '5 minutes', if_not_exists => true);
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('candles_1h', start_offset => INTERVAL '14 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '15 minutes', if_not_exists => true);
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('candles_1d', start_offset => INTERVAL '30 days', end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '1 hour', if_not_exists => true);
