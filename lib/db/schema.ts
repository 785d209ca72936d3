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
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

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
    /** CE/PE for options, else null; derived from instrument_type (drizzle/0002_storage.sql). */
    optionType: text('option_type').generatedAlwaysAs(
      sql`CASE WHEN instrument_type IN ('CE', 'PE') THEN instrument_type END`,
    ),
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
    volume: bigint('volume', { mode: 'number' }).notNull().default(0),
    averagePrice: doublePrecision('average_price'),
    oi: bigint('oi', { mode: 'number' }),
    bidPrice: doublePrecision('bid_price'),
    bidQuantity: integer('bid_quantity'),
    askPrice: doublePrecision('ask_price'),
    askQuantity: integer('ask_quantity'),
    feed: text('feed').notNull(),
    /** Occurrence number among ticks identical on the natural key (lib/db/queries/ticks.ts). */
    seq: smallint('seq').notNull().default(0),
  },
  // Natural key (drizzle/0002_storage.sql): idempotent writes; also the (instrument, time) lookup index.
  (table) => [
    uniqueIndex('ticks_natural_key').on(table.instrumentToken, table.time.desc(), table.volume, table.ltp, table.seq),
  ],
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
    /** Volume known to be incomplete (first candle after a mid-session start without a baseline); gap repair replaces it. */
    partial: deskBoolean('partial').notNull().default(false),
  },
  (table) => [primaryKey({ columns: [table.instrumentToken, table.bucket] })],
);

// ---- The trader's desk (drizzle/0003_desk.sql): user watchlists, alerts, alert history ----
import { bigserial as deskBigserial, boolean as deskBoolean, jsonb as deskJsonb, serial as deskSerial } from 'drizzle-orm/pg-core';

/** User watchlists (the 15 predefined lists live in lib/market/watchlists.ts, not here). Name unique case-insensitively. */
export const watchlists = pgTable('watchlists', {
  id: deskSerial('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Instruments of a user watchlist, ordered by `position` (0-based). */
export const watchlistItems = pgTable(
  'watchlist_items',
  {
    watchlistId: integer('watchlist_id').notNull(),
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.watchlistId, table.instrumentToken] })],
);

/** User alerts; `condition` is an AlertCondition (lib/alerts/conditions.ts). */
export const alerts = pgTable('alerts', {
  id: deskSerial('id').primaryKey(),
  name: text('name').notNull(),
  condition: deskJsonb('condition').notNull(),
  targetKind: text('target_kind').notNull(),
  target: text('target').notNull(),
  repeat: deskBoolean('repeat').notNull().default(false),
  cooldownSec: integer('cooldown_sec').notNull().default(300),
  webhookUrl: text('webhook_url'),
  enabled: deskBoolean('enabled').notNull().default(true),
  lastFiredAt: timestamp('last_fired_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Alert history: one row per firing (per alert and instrument). */
export const alertEvents = pgTable('alert_events', {
  id: deskBigserial('id', { mode: 'number' }).primaryKey(),
  alertId: integer('alert_id'),
  alertName: text('alert_name').notNull(),
  symbol: text('symbol').notNull(),
  instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
  firedAt: timestamp('fired_at', { withTimezone: true }).notNull().defaultNow(),
  tickTime: timestamp('tick_time', { withTimezone: true }).notNull(),
  message: text('message').notNull(),
  value: doublePrecision('value'),
  webhookStatus: text('webhook_status'),
});

/** 5-level depth snapshots from full-mode ticks; a hypertable on `time` (drizzle/0002_storage.sql). Index 0 = best. */
export const orderBook = pgTable(
  'order_book',
  {
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull(),
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    bidPrice: doublePrecision('bid_price').array().notNull(),
    bidQuantity: bigint('bid_quantity', { mode: 'number' }).array().notNull(),
    bidOrders: integer('bid_orders').array().notNull(),
    askPrice: doublePrecision('ask_price').array().notNull(),
    askQuantity: bigint('ask_quantity', { mode: 'number' }).array().notNull(),
    askOrders: integer('ask_orders').array().notNull(),
  },
  (table) => [primaryKey({ columns: [table.instrumentToken, table.time] })],
);

/** Feed lifecycle events (start, connect, disconnect, stop); lets the gap ledger explain holes. */
export const feedEvents = pgTable(
  'feed_events',
  {
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull(),
    feed: text('feed').notNull(),
    kind: text('kind').notNull(),
    detail: text('detail'),
  },
  (table) => [index('feed_events_time_idx').on(table.time)],
);

/** Broker history requests already made, per instrument and IST trading day (backfill resume). */
export const historyFetches = pgTable(
  'history_fetches',
  {
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    candles: integer('candles').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instrumentToken, table.day, table.source] })],
);

/**
 * Official daily candles from the broker (drizzle/0002_storage.sql). Replace the provisional
 * roll-up of live 1m candles when reading the 1d timeframe. Bucket = 00:00 IST.
 */
export const candles1dOfficial = pgTable(
  'candles_1d_official',
  {
    instrumentToken: bigint('instrument_token', { mode: 'number' }).notNull(),
    bucket: timestamp('bucket', { withTimezone: true, mode: 'date' }).notNull(),
    open: doublePrecision('open').notNull(),
    high: doublePrecision('high').notNull(),
    low: doublePrecision('low').notNull(),
    close: doublePrecision('close').notNull(),
    volume: bigint('volume', { mode: 'number' }).notNull(),
    oi: bigint('oi', { mode: 'number' }),
    source: text('source').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instrumentToken, table.bucket] })],
);

// Authentication tables (issue 10): lib/db/schema-auth.ts
export * from './schema-auth';
