/**
 * What the worker needs to continue an instrument-day after a restart (worker/pipeline/candle-seed.ts):
 * the stored 1m candles of that day, the cumulative volume of the last stored tick before a
 * point, and stored ticks after the last stored candle (written through the journal by a run
 * that died before closing its candle). Set-based: one statement per stage for any number of
 * instruments.
 *
 * Units: epoch ms UTC, prices in rupees, volumes in shares/contracts.
 */
import type { Exchange, FeedSource, Tick } from '@/lib/market/tick';
import type { Database } from '../client';

/** One instrument-day to look up: stored data in [dayStart, before). */
export interface SeedLookup {
  instrumentToken: number;
  /** 00:00 IST of the day, epoch ms. */
  dayStart: number;
  /** Exclusive end, epoch ms (the first tick this process saw of that instrument-day). */
  before: number;
}

/** A stored 1m candle of a seed (bucket epoch ms). */
export interface SeedCandle {
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number | null;
  partial: boolean;
}

const list = (values: readonly (number | string)[]) => `{${values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(',')}}`;
const isoList = (values: readonly number[]) => list(values.map((v) => new Date(v).toISOString()));

/** Stored 1m candles with bucket in [dayStart, before) per lookup, ascending, by instrument token. */
export async function getSeedCandles(db: Database, lookups: readonly SeedLookup[]): Promise<Map<number, SeedCandle[]>> {
  const out = new Map<number, SeedCandle[]>(lookups.map((l) => [l.instrumentToken, []]));
  if (lookups.length === 0) return out;
  const rows = await db.query<{
    instrument_token: string | number;
    ms: string | number;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: string | number;
    oi: string | number | null;
    partial: boolean;
  }>(
    `SELECT c.instrument_token, (extract(epoch FROM c.bucket) * 1000)::int8 AS ms,
            c.open, c.high, c.low, c.close, c.volume, c.oi, c.partial
     FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) AS u(t, d, f)
     JOIN candles_1m c ON c.instrument_token = u.t AND c.bucket >= u.d AND c.bucket < u.f
     ORDER BY c.instrument_token, c.bucket`,
    [
      list(lookups.map((l) => l.instrumentToken)),
      isoList(lookups.map((l) => l.dayStart)),
      isoList(lookups.map((l) => l.before)),
    ],
  );
  for (const row of rows) {
    out.get(Number(row.instrument_token))?.push({
      bucket: Number(row.ms),
      open: Number(row.open),
      high: Number(row.high),
      low: Number(row.low),
      close: Number(row.close),
      volume: Number(row.volume),
      oi: row.oi === null ? null : Number(row.oi),
      partial: Boolean(row.partial),
    });
  }
  return out;
}

/**
 * Cumulative day volume of the newest stored tick in [dayStart, before) per lookup; instruments
 * without such a tick are absent from the map.
 */
export async function getLastStoredVolumes(db: Database, lookups: readonly SeedLookup[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (lookups.length === 0) return out;
  const rows = await db.query<{ t: string | number; volume: string | number }>(
    `SELECT u.t, b.volume
     FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) AS u(t, d, f)
     CROSS JOIN LATERAL (
       SELECT volume FROM ticks
       WHERE instrument_token = u.t AND time >= u.d AND time < u.f
       ORDER BY time DESC, seq DESC LIMIT 1) b`,
    [
      list(lookups.map((l) => l.instrumentToken)),
      isoList(lookups.map((l) => l.dayStart)),
      isoList(lookups.map((l) => l.before)),
    ],
  );
  for (const row of rows) out.set(Number(row.t), Number(row.volume));
  return out;
}

/**
 * Stored ticks in [dayStart, before) per lookup (here `dayStart` is the replay start), in
 * exchange-time then feed order, as Ticks named by `names` (at most `limit` in all).
 */
export async function getStoredTicks(
  db: Database,
  lookups: readonly SeedLookup[],
  names: ReadonlyMap<number, { exchange: Exchange; tradingsymbol: string }>,
  limit = 500_000,
): Promise<Tick[]> {
  if (lookups.length === 0) return [];
  const rows = await db.query<{
    instrument_token: string | number;
    ms: string | number;
    ltp: number;
    last_quantity: number | null;
    volume: string | number;
    average_price: number | null;
    oi: string | number | null;
    bid_price: number | null;
    bid_quantity: number | null;
    ask_price: number | null;
    ask_quantity: number | null;
    feed: string;
  }>(
    `SELECT k.instrument_token, (extract(epoch FROM k.time) * 1000)::int8 AS ms, k.ltp, k.last_quantity, k.volume,
            k.average_price, k.oi, k.bid_price, k.bid_quantity, k.ask_price, k.ask_quantity, k.feed
     FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) AS u(t, d, f)
     JOIN ticks k ON k.instrument_token = u.t AND k.time >= u.d AND k.time < u.f
     ORDER BY k.time, k.instrument_token, k.seq
     LIMIT ${Math.max(1, Math.floor(limit))}`,
    [
      list(lookups.map((l) => l.instrumentToken)),
      isoList(lookups.map((l) => l.dayStart)),
      isoList(lookups.map((l) => l.before)),
    ],
  );
  const num = (v: string | number | null) => (v === null ? null : Number(v));
  return rows.flatMap((row) => {
    const name = names.get(Number(row.instrument_token));
    if (!name) return [];
    return [
      {
        instrumentToken: Number(row.instrument_token),
        exchange: name.exchange,
        tradingsymbol: name.tradingsymbol,
        exchangeTime: Number(row.ms),
        ltp: Number(row.ltp),
        lastQuantity: Number(row.last_quantity ?? 0),
        volume: Number(row.volume),
        averagePrice: num(row.average_price),
        oi: num(row.oi),
        bidPrice: num(row.bid_price),
        bidQuantity: num(row.bid_quantity),
        askPrice: num(row.ask_price),
        askQuantity: num(row.ask_quantity),
        feed: row.feed as FeedSource,
      },
    ];
  });
}
