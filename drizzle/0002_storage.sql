-- Storage (issue 4; hand-written; the same SQL runs on embedded PGlite+TimescaleDB and on a
-- TimescaleDB server). See docs/storage.md.
--
-- * ticks gets an idempotency key: (instrument_token, time, volume, ltp, seq) is unique, where
--   seq numbers ticks that are identical on (instrument, exchange time, cumulative volume, LTP)
--   in the order the feed delivered them (0 for the first, 1 for a genuine repeat, …). A
--   replayed journal or a resent batch carries the same seq and is dropped by
--   ON CONFLICT DO NOTHING; two real snapshots that look alike are both kept. The unique index
--   starts with (instrument_token, time DESC), so it replaces the old lookup index (one index
--   on the COPY/INSERT hot path).
-- * order_book: 5-level depth snapshots from full-mode ticks, a hypertable.
-- * instruments.option_type (CE/PE, derived from instrument_type).
-- * feed_events: feed connects/disconnects, so the gaps they cause are known without scanning.
-- * history_fetches: broker history requests already made per instrument and IST day (a
--   backfill rerun skips them even when the broker had nothing, e.g. an illiquid contract).
-- * Compression on ticks and order_book (segment by instrument, order by time) after 1 day;
--   retention: ticks 7 d, order book 7 d, 1m 30 d, 5m 90 d, 15m/30m 6 months, 1h 1 year,
--   daily forever. The worker re-applies configured values at start (RETENTION_* env).
ALTER TABLE ticks ADD COLUMN seq smallint NOT NULL DEFAULT 0;
--> statement-breakpoint
UPDATE ticks SET volume = 0 WHERE volume IS NULL;
--> statement-breakpoint
ALTER TABLE ticks ALTER COLUMN volume SET DEFAULT 0;
--> statement-breakpoint
ALTER TABLE ticks ALTER COLUMN volume SET NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS ticks_natural_key ON ticks (instrument_token, time DESC, volume, ltp, seq);
--> statement-breakpoint
DROP INDEX IF EXISTS ticks_instrument_time_idx;
--> statement-breakpoint
ALTER TABLE instruments ADD COLUMN IF NOT EXISTS option_type text
  GENERATED ALWAYS AS (CASE WHEN instrument_type IN ('CE', 'PE') THEN instrument_type END) STORED;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS order_book (
  time timestamptz NOT NULL,
  instrument_token bigint NOT NULL,
  bid_price double precision[] NOT NULL,
  bid_quantity bigint[] NOT NULL,
  bid_orders integer[] NOT NULL,
  ask_price double precision[] NOT NULL,
  ask_quantity bigint[] NOT NULL,
  ask_orders integer[] NOT NULL,
  PRIMARY KEY (instrument_token, time)
);
--> statement-breakpoint
SELECT create_hypertable('order_book', by_range('time', INTERVAL '1 day'), create_default_indexes => false, if_not_exists => true);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS feed_events (
  time timestamptz NOT NULL,
  feed text NOT NULL,
  kind text NOT NULL,
  detail text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS feed_events_time_idx ON feed_events (time);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS history_fetches (
  instrument_token bigint NOT NULL,
  day date NOT NULL,
  source text NOT NULL,
  candles integer NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instrument_token, day, source)
);
--> statement-breakpoint
ALTER TABLE ticks SET (timescaledb.compress, timescaledb.compress_segmentby = 'instrument_token', timescaledb.compress_orderby = 'time DESC');
--> statement-breakpoint
ALTER TABLE order_book SET (timescaledb.compress, timescaledb.compress_segmentby = 'instrument_token', timescaledb.compress_orderby = 'time DESC');
--> statement-breakpoint
SELECT add_compression_policy('ticks', compress_after => INTERVAL '1 day', if_not_exists => true);
--> statement-breakpoint
SELECT add_compression_policy('order_book', compress_after => INTERVAL '1 day', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('ticks', drop_after => INTERVAL '7 days', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('order_book', drop_after => INTERVAL '7 days', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('candles_1m', drop_after => INTERVAL '30 days', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('candles_5m', drop_after => INTERVAL '90 days', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('candles_15m', drop_after => INTERVAL '6 months', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('candles_30m', drop_after => INTERVAL '6 months', if_not_exists => true);
--> statement-breakpoint
SELECT add_retention_policy('candles_1h', drop_after => INTERVAL '1 year', if_not_exists => true);
--> statement-breakpoint
-- Official daily candles from the broker's historical API (Kite "day" interval). Kite's day
-- close is NSE's official closing price and its volume includes trades outside the 1m bars, so
-- a day bar rolled up from live 1m candles (candles_1d) is provisional until this row exists;
-- reads of the 1d timeframe prefer it (lib/db/queries/candles.ts). Bucket = 00:00 IST.
CREATE TABLE IF NOT EXISTS candles_1d_official (
  instrument_token bigint NOT NULL,
  bucket timestamptz NOT NULL,
  open double precision NOT NULL,
  high double precision NOT NULL,
  low double precision NOT NULL,
  close double precision NOT NULL,
  volume bigint NOT NULL,
  oi bigint,
  source text NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instrument_token, bucket)
);
