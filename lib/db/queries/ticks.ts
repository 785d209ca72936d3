/**
 * Tick storage: bulk COPY of normalised ticks into the `ticks` hypertable.
 * Never per-row INSERTs: one binary COPY statement per batch (`npm run bench` prints the
 * figures: COPY is 20–50× the per-row INSERT path on the embedded database).
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
] as const;

const FEED_BYTES = new Map<string, Uint8Array>();
const encoder = new TextEncoder();
/** Encoded size of one tick row without its feed name: field count + 11 length words + values. */
const FIXED_ROW_BYTES = 2 + 12 * 4 + 8 * 10;

/** Ticks as a binary COPY payload in TICK_COLUMNS order (prices rupees, time epoch ms → timestamptz). */
export function encodeTicks(ticks: readonly Tick[]): Uint8Array {
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
  }
  return out.finish();
}

/** Write ticks with one binary COPY. Throws the database error; on error nothing of the batch is stored. */
export async function copyTicks(db: Database, ticks: readonly Tick[]): Promise<void> {
  if (ticks.length === 0) return;
  await db.copyFrom('ticks', TICK_COLUMNS, encodeTicks(ticks), 'binary');
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
