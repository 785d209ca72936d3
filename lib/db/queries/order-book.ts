/**
 * Order book (market depth) snapshots: the 5 best bid and ask levels of full-mode ticks
 * (Kite full mode, https://kite.trade/docs/connect/v3/websocket/#full-mode), stored in the
 * `order_book` hypertable (drizzle/0002_storage.sql). Prices rupees, quantities shares/contracts.
 */
import type { DepthLevel, Tick } from '@/lib/market/tick';
import type { Database } from '../client';

/** A stored depth snapshot; `bids[0]` / `asks[0]` are the best levels. */
export interface OrderBookSnapshot {
  time: Date;
  instrumentToken: number;
  bids: DepthLevel[];
  asks: DepthLevel[];
}

const LEVELS = 5;

/**
 * Store the depth of every tick that carries one (at most 5 levels per side), idempotently on
 * (instrument_token, time): a resent batch adds nothing. Returns rows inserted.
 * Throws the database error.
 */
export async function insertOrderBook(db: Database, ticks: readonly Tick[]): Promise<number> {
  const rows = ticks
    .filter((t) => t.depth && (t.depth.buy.length > 0 || t.depth.sell.length > 0))
    .map((t) => {
      const buy = t.depth!.buy.slice(0, LEVELS);
      const sell = t.depth!.sell.slice(0, LEVELS);
      return {
        time: new Date(t.exchangeTime).toISOString(),
        token: t.instrumentToken,
        bp: buy.map((l) => l.price),
        bq: buy.map((l) => l.quantity),
        bo: buy.map((l) => l.orders),
        ap: sell.map((l) => l.price),
        aq: sell.map((l) => l.quantity),
        ao: sell.map((l) => l.orders),
      };
    });
  if (rows.length === 0) return 0;
  const result = await db.query<{ n: number | string }>(
    `WITH inserted AS (
       INSERT INTO order_book (time, instrument_token, bid_price, bid_quantity, bid_orders, ask_price, ask_quantity, ask_orders)
       SELECT time, token, bp, bq, bo, ap, aq, ao
       FROM json_to_recordset($1::json) AS r(time timestamptz, token int8, bp float8[], bq int8[], bo int4[],
                                            ap float8[], aq int8[], ao int4[])
       ON CONFLICT DO NOTHING
       RETURNING 1)
     SELECT count(*) AS n FROM inserted`,
    [JSON.stringify(rows)],
  );
  return Number(result[0].n);
}

/** The newest depth snapshot of an instrument (optionally at or before `at`), or null. */
export async function getLatestOrderBook(db: Database, instrumentToken: number, at?: Date): Promise<OrderBookSnapshot | null> {
  const rows = await db.query<{
    time: Date | string;
    bid_price: number[];
    bid_quantity: (number | string)[];
    bid_orders: number[];
    ask_price: number[];
    ask_quantity: (number | string)[];
    ask_orders: number[];
  }>(
    `SELECT time, bid_price, bid_quantity, bid_orders, ask_price, ask_quantity, ask_orders
     FROM order_book WHERE instrument_token = $1 AND time <= $2::timestamptz
     ORDER BY time DESC LIMIT 1`,
    [instrumentToken, (at ?? new Date('9999-12-31T00:00:00Z')).toISOString()],
  );
  const row = rows[0];
  if (!row) return null;
  const levels = (price: number[], quantity: (number | string)[], orders: number[]): DepthLevel[] =>
    price.map((p, i) => ({ price: Number(p), quantity: Number(quantity[i]), orders: Number(orders[i]) }));
  return {
    time: new Date(row.time),
    instrumentToken,
    bids: levels(row.bid_price, row.bid_quantity, row.bid_orders),
    asks: levels(row.ask_price, row.ask_quantity, row.ask_orders),
  };
}
