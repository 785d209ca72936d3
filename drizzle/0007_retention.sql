-- Retention measured from the newest stored data (issue 8, item 1; hand-written, the same SQL
-- runs on embedded PGlite+TimescaleDB and on a TimescaleDB server). See docs/storage.md,
-- "Retention".
--
-- TimescaleDB's built-in retention policies (0002_storage.sql) drop chunks older than
-- now() - drop_after: a replayed or imported 2022 session was deleted within seconds of being
-- loaded. The rule is now: a relation's data is dropped once it is older than its window
-- measured from the NEWEST DATA STORED IN THAT RELATION, capped at now():
--
--   cutoff = least(newest stored time, now()) - window;  drop_chunks(relation, older_than => cutoff)
--
-- so a database that only holds a past session keeps it for good, while a live deployment
-- (newest data = now) still drops what is older than its window. The seven built-in policies
-- are replaced by ONE custom job (fewer background workers on a server, issue 9) whose config
-- holds the windows in days per relation (0 or absent = keep forever):
--
--   {"drop_after_days": {"ticks": 7, "order_book": 7, "candles_1m": 30, "candles_5m": 90,
--                        "candles_15m": 180, "candles_30m": 180, "candles_1h": 365, "candles_1d": 0}}
--
-- The worker rewrites the config from RETENTION_* at start (lib/db/queries/policies.ts,
-- alter_job). TimescaleDB's scheduler runs the job on a server; worker/jobs/embedded-jobs.ts
-- runs it (CALL run_job) on the embedded database, which has no background workers.
SELECT remove_retention_policy('ticks', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('order_book', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_1m', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_5m', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_15m', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_30m', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_1h', if_exists => true);
--> statement-breakpoint
SELECT remove_retention_policy('candles_1d', if_exists => true);
--> statement-breakpoint
-- The newest value of the time dimension stored in a hypertable or continuous aggregate (for an
-- aggregate: in its materialisation hypertable, i.e. the newest materialised bucket), or NULL
-- when it holds no rows. Exact, and cheap on a multi-GB hypertable: chunks are visited newest
-- first (catalog order by range end) and max(time) is taken inside ONE chunk at a time (the
-- range predicate excludes every other chunk), stopping at the first non-empty chunk. ticks and
-- order_book have no time index, so that is a scan of one 1-day chunk; the candle relations
-- read it from their time index.
CREATE OR REPLACE FUNCTION marketdesk_newest_time(relation regclass) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
  ht_schema name;
  ht_name name;
  time_column name;
  chunk record;
  newest timestamptz;
BEGIN
  SELECT ca.materialization_hypertable_schema, ca.materialization_hypertable_name INTO ht_schema, ht_name
  FROM timescaledb_information.continuous_aggregates ca
  WHERE format('%I.%I', ca.view_schema, ca.view_name)::regclass = relation;
  IF NOT FOUND THEN
    SELECT n.nspname, c.relname INTO ht_schema, ht_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = relation;
  END IF;
  SELECT d.column_name INTO time_column
  FROM timescaledb_information.dimensions d
  WHERE d.hypertable_schema = ht_schema AND d.hypertable_name = ht_name AND d.dimension_number = 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'marketdesk_newest_time: % is neither a hypertable nor a continuous aggregate', relation;
  END IF;
  FOR chunk IN
    SELECT ch.range_start, ch.range_end
    FROM timescaledb_information.chunks ch
    WHERE ch.hypertable_schema = ht_schema AND ch.hypertable_name = ht_name
    ORDER BY ch.range_end DESC
  LOOP
    EXECUTE format('SELECT max(%1$I) FROM %2$I.%3$I WHERE %1$I >= $1 AND %1$I < $2', time_column, ht_schema, ht_name)
      INTO newest USING chunk.range_start, chunk.range_end;
    IF newest IS NOT NULL THEN
      RETURN newest;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The retention job (TimescaleDB custom job signature). For each relation of
-- config->'drop_after_days' with a window > 0 days: drop the chunks entirely older than
-- least(newest stored time, now()) - window, one transaction per relation. A missing relation
-- or a failing drop (e.g. a deadlock with a concurrent aggregate refresh) is reported as a
-- WARNING and the other relations are still handled; the job fails (and is retried by the
-- scheduler) only on a malformed config. Must be run by CALL run_job(id) or the scheduler,
-- outside an explicit transaction block (it commits).
CREATE OR REPLACE PROCEDURE marketdesk_retention(job_id integer, config jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  item record;
  days integer;
  rel regclass;
  newest timestamptz;
  cutoff timestamptz;
  dropped integer;
BEGIN
  IF config IS NULL OR jsonb_typeof(config->'drop_after_days') IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'marketdesk_retention: config must be {"drop_after_days": {relation: days, ...}}, got %', config;
  END IF;
  FOR item IN SELECT key, value FROM jsonb_each(config->'drop_after_days') ORDER BY key LOOP
    IF jsonb_typeof(item.value) IS DISTINCT FROM 'number' THEN
      RAISE EXCEPTION 'marketdesk_retention: drop_after_days.% must be a number of days, got %', item.key, item.value;
    END IF;
    days := (item.value #>> '{}')::numeric::integer;
    CONTINUE WHEN days <= 0; -- 0 = keep forever
    rel := to_regclass(item.key);
    IF rel IS NULL THEN
      RAISE WARNING 'marketdesk_retention: no relation %', item.key;
      CONTINUE;
    END IF;
    BEGIN
      newest := marketdesk_newest_time(rel);
      IF newest IS NOT NULL THEN
        cutoff := least(newest, now()) - make_interval(days => days);
        SELECT count(*) INTO dropped FROM drop_chunks(rel, older_than => cutoff);
        IF dropped > 0 THEN
          RAISE LOG 'marketdesk_retention: % dropped % chunk(s) older than % (newest %, window % days)',
            item.key, dropped, cutoff, newest, days;
        END IF;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'marketdesk_retention: % failed (% %), retried on the next run', item.key, SQLSTATE, SQLERRM;
    END;
    -- Release this relation's locks before the next one: a refresh of the aggregates running at
    -- the same time then cannot deadlock with locks this job took on another relation.
    COMMIT;
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT add_job(
  'marketdesk_retention',
  INTERVAL '1 hour',
  config => '{"drop_after_days": {"ticks": 7, "order_book": 7, "candles_1m": 30, "candles_5m": 90, "candles_15m": 180, "candles_30m": 180, "candles_1h": 365, "candles_1d": 0}}'::jsonb
)
WHERE NOT EXISTS (SELECT 1 FROM timescaledb_information.jobs WHERE proc_name = 'marketdesk_retention');
