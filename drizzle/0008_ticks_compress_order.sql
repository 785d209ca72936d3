-- Compression settings of `ticks` that cover its unique natural key (drizzle/0002_storage.sql:
-- instrument_token, time, volume, ltp, seq). TimescaleDB 2.28 warned on 0002's settings
-- ("column \"ltp\"/\"volume\"/\"seq\" should be used for segmenting or ordering"): a unique
-- index whose columns are neither segment-by nor order-by columns makes inserts into compressed
-- chunks decompress more than they need to. Adding them after `time DESC` keeps the row order
-- (time is nearly unique per instrument), so the compression ratio is unchanged. Applies to
-- chunks compressed from now on.
ALTER TABLE ticks SET (timescaledb.compress, timescaledb.compress_segmentby = 'instrument_token', timescaledb.compress_orderby = 'time DESC, volume, ltp, seq');
