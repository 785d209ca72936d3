/**
 * Tick storage: bulk COPY of normalised ticks into the `ticks` hypertable.
 * Never per-row INSERTs: one COPY statement per batch (../shared/notes/platform.md measured
 * ~80k rows/s through COPY on the embedded database vs ~3k rows/s per-row).
 */
import type { Tick } from '@/lib/market/tick';
import type { Database } from '../client';

/** Column order of the CSV produced by `ticksToCsv`. */
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

const field = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** ISO-8601 UTC with ms; the "YYYY-MM-DDTHH:MM:SS" part is cached per second (ticks arrive in time order). */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Ticks as COPY CSV rows (no header; empty field = NULL; times ISO-8601 UTC). */
export function ticksToCsv(ticks: readonly Tick[]): string {
  let csv = '';
  for (const t of ticks) {
    csv += `${isoTime(t.exchangeTime)},${t.instrumentToken},${t.ltp},${field(t.lastQuantity)},${field(
      t.volume,
    )},${field(t.averagePrice)},${field(t.oi)},${field(t.bidPrice)},${field(t.bidQuantity)},${field(t.askPrice)},${field(
      t.askQuantity,
    )},${t.feed}\n`;
  }
  return csv;
}

/** Write ticks with one COPY. Throws the database error; on error nothing of the batch is stored. */
export async function copyTicks(db: Database, ticks: readonly Tick[]): Promise<void> {
  if (ticks.length === 0) return;
  await db.copyCsv('ticks', TICK_COLUMNS, ticksToCsv(ticks));
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
