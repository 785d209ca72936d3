/**
 * Tick storage into the `ticks` hypertable. Never per-row INSERTs.
 *
 * - `writeTicks` (the worker's path): idempotent on the natural key
 *   (instrument_token, time, volume, ltp, seq) of drizzle/0002_storage.sql, so a resent batch
 *   or a replayed journal stores nothing twice. It tries one binary COPY first (the fast path:
 *   no row of the batch is stored yet, the normal case) and, when the unique key rejects the
 *   COPY (nothing of it is applied), falls back to `insertTicks`.
 * - `insertTicks`: one set-based `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING`.
 * - `copyTicks`: one binary COPY; throws on a duplicate key.
 * `npm run bench` prints the rates of each on the embedded database.
 */
import type { Tick } from '@/lib/market/tick';
import { BinaryCopyWriter } from '../binary-copy';
import type { Database } from '../client';

/** Column order of the COPY payload produced by `encodeTicks`. */
export const TICK_COLUMNS = [
  'time',
  'instrument_token',
  'ltp',
  'last_quantity',
  'volume',
  'average_price',
  'oi',
  'bid_price',
  'bid_quantity',
  'ask_price',
  'ask_quantity',
  'feed',
  'seq',
] as const;

const FEED_BYTES = new Map<string, Uint8Array>();
const encoder = new TextEncoder();
/** Encoded size of one tick row without its feed name: field count + 13 length words + values. */
const FIXED_ROW_BYTES = 2 + 13 * 4 + 8 * 10 + 2;

/**
 * Ticks as a binary COPY payload in TICK_COLUMNS order (prices rupees, time epoch ms →
 * timestamptz; `seq` 0 when absent).
 */
export function encodeTicks(ticks: readonly (Tick & { seq?: number })[]): Uint8Array {
  let capacity = 0;
  for (const t of ticks) {
    let feed = FEED_BYTES.get(t.feed);
    if (!feed) FEED_BYTES.set(t.feed, (feed = encoder.encode(t.feed)));
    capacity += FIXED_ROW_BYTES + feed.length;
  }
  const out = new BinaryCopyWriter(capacity);
  for (const t of ticks) {
    out.row(TICK_COLUMNS.length);
    out.timestamptz(t.exchangeTime);
    out.int8(t.instrumentToken);
    out.float8(t.ltp);
    out.int4(t.lastQuantity);
    out.int8(t.volume);
    out.float8(t.averagePrice);
    out.int8(t.oi);
    out.float8(t.bidPrice);
    out.int4(t.bidQuantity);
    out.float8(t.askPrice);
    out.int4(t.askQuantity);
    out.text(FEED_BYTES.get(t.feed)!);
    out.int2(t.seq ?? 0);
  }
  return out.finish();
}

/** Write ticks with one binary COPY. Throws the database error; on error nothing of the batch is stored. */
export async function copyTicks(db: Database, ticks: readonly (Tick & { seq?: number })[]): Promise<void> {
  if (ticks.length === 0) return;
  await db.copyFrom('ticks', TICK_COLUMNS, encodeTicks(ticks), 'binary');
}

/**
 * A tick as stored: `seq` is its occurrence number among ticks of the same instrument with the
 * same exchange time, cumulative volume and LTP, in feed order (0, then 1 for a genuine repeat …),
 * assigned once when the pipeline accepts it (worker/storage/tick-sequencer.ts).
 */
export type StoredTick = Tick & { seq: number };

const arrayLiteral = (values: readonly (number | null)[]) =>
  `{${values.map((v) => (v === null || !Number.isFinite(v) ? 'NULL' : String(v))).join(',')}}`;
const textArrayLiteral = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/**
 * Insert ticks idempotently (prices rupees, exchangeTime epoch ms UTC). Rows whose natural key
 * (instrument_token, time, volume, ltp, seq) is already stored are skipped. Returns the number
 * of rows actually inserted. Throws the database error; a failed statement stores nothing.
 */
export async function insertTicks(db: Database, ticks: readonly StoredTick[]): Promise<number> {
  if (ticks.length === 0) return 0;
  const rows = await db.query<{ n: number | string }>(
    `WITH inserted AS (
       INSERT INTO ticks (time, instrument_token, ltp, last_quantity, volume, average_price, oi,
                          bid_price, bid_quantity, ask_price, ask_quantity, feed, seq)
       SELECT * FROM unnest($1::timestamptz[], $2::int8[], $3::float8[], $4::int4[], $5::int8[], $6::float8[],
                            $7::int8[], $8::float8[], $9::int4[], $10::float8[], $11::int4[], $12::text[], $13::int2[])
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT count(*) AS n FROM inserted`,
    [
      textArrayLiteral(ticks.map((t) => new Date(t.exchangeTime).toISOString())),
      arrayLiteral(ticks.map((t) => t.instrumentToken)),
      arrayLiteral(ticks.map((t) => t.ltp)),
      arrayLiteral(ticks.map((t) => t.lastQuantity)),
      arrayLiteral(ticks.map((t) => t.volume ?? 0)),
      arrayLiteral(ticks.map((t) => t.averagePrice)),
      arrayLiteral(ticks.map((t) => t.oi)),
      arrayLiteral(ticks.map((t) => t.bidPrice)),
      arrayLiteral(ticks.map((t) => t.bidQuantity)),
      arrayLiteral(ticks.map((t) => t.askPrice)),
      arrayLiteral(ticks.map((t) => t.askQuantity)),
      textArrayLiteral(ticks.map((t) => t.feed)),
      arrayLiteral(ticks.map((t) => t.seq)),
    ],
  );
  return Number(rows[0].n);
}

/** True for PostgreSQL's unique_violation (SQLSTATE 23505), from PGlite or postgres.js. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Store ticks idempotently (see the file comment): binary COPY, or on a duplicate key the
 * ON CONFLICT insert. Returns the number of rows actually inserted. Throws other database
 * errors; a failed statement stores nothing.
 */
export async function writeTicks(db: Database, ticks: readonly StoredTick[]): Promise<number> {
  if (ticks.length === 0) return 0;
  try {
    await copyTicks(db, ticks);
    return ticks.length;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return insertTicks(db, ticks);
  }
}

/** Number of stored ticks whose natural key appears more than once (0 when writes are idempotent). */
export async function countDuplicateTicks(db: Database): Promise<number> {
  const rows = await db.query<{ n: string | number }>(
    `SELECT coalesce(sum(c - 1), 0) AS n FROM (
       SELECT count(*) AS c FROM ticks GROUP BY instrument_token, time, volume, ltp, seq HAVING count(*) > 1) d`,
  );
  return Number(rows[0].n);
}

/** Number of stored ticks, optionally for one instrument. */
export async function countTicks(db: Database, instrumentToken?: number): Promise<number> {
  const rows =
    instrumentToken === undefined
      ? await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ticks`)
      : await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ticks WHERE instrument_token = $1`, [
          instrumentToken,
        ]);
  return Number(rows[0].n);
}
