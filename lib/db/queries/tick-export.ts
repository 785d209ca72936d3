/**
 * Reading stored ticks back in exchange-time order, page by page (for the export CLI).
 */
import type { Database } from '../client';

export interface StoredTickRow {
  exchangeTime: number;
  instrumentToken: number;
  exchange: string;
  tradingsymbol: string;
  ltp: number;
  lastQuantity: number | null;
  volume: number | null;
  averagePrice: number | null;
  oi: number | null;
  bidPrice: number | null;
  bidQuantity: number | null;
  askPrice: number | null;
  askQuantity: number | null;
}

/**
 * Ticks with time in [from, to), optionally of one instrument, ordered by time, in pages of
 * `pageSize` (memory stays flat; OFFSET paging, adequate for day-sized exports).
 */
export async function* readTicks(
  db: Database,
  filter: { from: Date; to: Date; instrumentToken?: number; pageSize?: number },
): AsyncGenerator<StoredTickRow[]> {
  const pageSize = filter.pageSize ?? 10_000;
  let offset = 0;
  for (;;) {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT t.time, t.instrument_token, i.exchange, i.tradingsymbol, t.ltp, t.last_quantity, t.volume,
              t.average_price, t.oi, t.bid_price, t.bid_quantity, t.ask_price, t.ask_quantity
       FROM ticks t JOIN instruments i USING (instrument_token)
       WHERE t.time >= $1 AND t.time < $2 AND ($3::bigint IS NULL OR t.instrument_token = $3)
       ORDER BY t.time, t.instrument_token, t.volume
       LIMIT $4 OFFSET $5`,
      [filter.from.toISOString(), filter.to.toISOString(), filter.instrumentToken ?? null, pageSize, offset],
    );
    if (rows.length === 0) return;
    offset += rows.length;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    yield rows.map((r) => ({
      exchangeTime: new Date(r.time as string).getTime(),
      instrumentToken: Number(r.instrument_token),
      exchange: String(r.exchange),
      tradingsymbol: String(r.tradingsymbol),
      ltp: Number(r.ltp),
      lastQuantity: num(r.last_quantity),
      volume: num(r.volume),
      averagePrice: num(r.average_price),
      oi: num(r.oi),
      bidPrice: num(r.bid_price),
      bidQuantity: num(r.bid_quantity),
      askPrice: num(r.ask_price),
      askQuantity: num(r.ask_quantity),
    }));
    if (rows.length < pageSize) return;
  }
}
