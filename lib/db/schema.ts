/**
 * Drizzle schema of the tables the application reads and writes.
 *
 * TimescaleDB objects (hypertables, continuous aggregates, policies) are created by the
 * hand-written SQL migrations in drizzle/ and are not expressible here; the continuous
 * aggregates candles_5m … candles_1d have the same columns as `candles_1m` and are read
 * through lib/db/queries/candles.ts.
 *
 * Units: prices in rupees (double precision), volumes and OI in shares/contracts, all
 * timestamps timestamptz (UTC).
 */
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const instruments = pgTable(
  'instruments',
  {
    instrumentToken: bigint('instrument_token', { mode: 'number' }).primaryKey(),
    exchangeToken: bigint('exchange_token', { mode: 'number' }),
    exchange: text('exchange').notNull(),
    tradingsymbol: text('tradingsymbol').notNull(),
    name: text('name'),
    segment: text('segment'),
    instrumentType: text('instrument_type'),
    expiry: date('expiry', { mode: 'string' }),
    strike: doublePrecision('strike'),
    tickSize: doublePrecision('tick_size'),
    lotSize: integer('lot_size'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('instruments_exchange_symbol_idx').on(table.exchange, table.tradingsymbol),
    index('instruments_tradingsymbol_idx').on(table.tradingsymbol),
  ],
);

/** Raw ticks; a hypertable on `time` (exchange timestamp). */
export const ticks = pgTable(
  'ticks',
  {
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull(),
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    ltp: doublePrecision('ltp').notNull(),
    lastQuantity: integer('last_quantity'),
    volume: bigint('volume', { mode: 'number' }),
    averagePrice: doublePrecision('average_price'),
    oi: bigint('oi', { mode: 'number' }),
    bidPrice: doublePrecision('bid_price'),
    bidQuantity: integer('bid_quantity'),
    askPrice: doublePrecision('ask_price'),
    askQuantity: integer('ask_quantity'),
    feed: text('feed').notNull(),
  },
  (table) => [index('ticks_instrument_time_idx').on(table.instrumentToken, table.time.desc())],
);

/** Closed 1m candles (worker and imports); a hypertable on `bucket`, unique per instrument and bucket. */
export const candles1m = pgTable(
  'candles_1m',
  {
    bucket: timestamp('bucket', { withTimezone: true, mode: 'date' }).notNull(),
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    open: doublePrecision('open').notNull(),
    high: doublePrecision('high').notNull(),
    low: doublePrecision('low').notNull(),
    close: doublePrecision('close').notNull(),
    volume: bigint('volume', { mode: 'number' }).notNull(),
    oi: bigint('oi', { mode: 'number' }),
  },
  (table) => [primaryKey({ columns: [table.instrumentToken, table.bucket] })],
);
