-- Session candles (issue 8; hand-written, same SQL on embedded PGlite+TimescaleDB and a server).
--
-- * candles_1m.partial: true for a 1m candle whose volume is known to be incomplete: the first
--   candle after the worker started in the middle of a session with no stored ticks of that day
--   to take the cumulative-volume baseline from (docs/storage.md, "Restarts"). The gap ledger
--   counts a partial candle as missing, so gap repair replaces it with the broker's candle.
ALTER TABLE candles_1m ADD COLUMN IF NOT EXISTS partial boolean NOT NULL DEFAULT false;
