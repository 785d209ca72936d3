-- The trader's desk (issue 5): user watchlists, user alerts and the alert history.
-- Plain tables (no TimescaleDB objects); the same SQL runs on PGlite+TimescaleDB and a server.
CREATE TABLE IF NOT EXISTS "watchlists" (
  "id" serial PRIMARY KEY,
  "name" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "watchlists_name_upper_idx" ON "watchlists" (upper("name"));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "watchlist_items" (
  "watchlist_id" integer NOT NULL REFERENCES "watchlists" ("id") ON DELETE CASCADE,
  "instrument_token" bigint NOT NULL,
  "position" integer NOT NULL,
  "added_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("watchlist_id", "instrument_token")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "alerts" (
  "id" serial PRIMARY KEY,
  "name" text NOT NULL,
  "condition" jsonb NOT NULL,
  "target_kind" text NOT NULL CHECK ("target_kind" IN ('symbol', 'watchlist')),
  "target" text NOT NULL,
  "repeat" boolean NOT NULL DEFAULT false,
  "cooldown_sec" integer NOT NULL DEFAULT 300,
  "webhook_url" text,
  "enabled" boolean NOT NULL DEFAULT true,
  "last_fired_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "alert_events" (
  "id" bigserial PRIMARY KEY,
  "alert_id" integer REFERENCES "alerts" ("id") ON DELETE SET NULL,
  "alert_name" text NOT NULL,
  "symbol" text NOT NULL,
  "instrument_token" bigint NOT NULL,
  "fired_at" timestamptz NOT NULL DEFAULT now(),
  "tick_time" timestamptz NOT NULL,
  "message" text NOT NULL,
  "value" double precision,
  "webhook_status" text
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "alert_events_fired_at_idx" ON "alert_events" ("fired_at" DESC);
