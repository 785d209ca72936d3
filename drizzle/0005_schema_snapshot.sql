-- No-op on purpose. The tables of lib/db/schema.ts added by the hand-written migrations
-- 0002_storage.sql (order_book, feed_events, history_fetches, candles_1d_official, ticks.seq …)
-- and 0003_desk.sql (watchlists, watchlist_items, alerts, alert_events) already exist; this
-- migration only carries drizzle-kit's snapshot (meta/0005_snapshot.json) of the full schema,
-- so a later `npm run db:generate` diffs against what the database really has.
SELECT 1;
