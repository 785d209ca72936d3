/**
 * Intraday reads (seed 000's intraday endpoints): latest candle, a session's candles, day
 * statistics, VWAP and raw ticks (paged). Prices rupees, volumes shares/contracts, times UTC.
 * A "session date" is an IST calendar date; when not given, the date of the instrument's newest
 * 1m candle (so a replayed past session or a weekend still shows the last session).
 */
import { DAY_MS, istDate, istDateStart } from '@/lib/market/session';
import type { Database } from '../client';
import { priceChange } from '@/lib/market/change';
import { getCandles, getLatestCandleTime, type StoredCandle } from './candles';
import { getPreviousCloses } from './previous-close';


/** The IST date asked for, or the date of the newest 1m candle (null when there is none). */
export async function resolveSessionDate(db: Database, instrumentToken: number, date?: string): Promise<string | null> {
  if (date) return date;
  const latest = await getLatestCandleTime(db, instrumentToken);
  return latest ? istDate(latest.getTime()) : null;
}

/** The newest 1m candle of an instrument, or null. */
export async function getLatestCandle(db: Database, instrumentToken: number): Promise<StoredCandle | null> {
  const latest = await getLatestCandleTime(db, instrumentToken);
  if (!latest) return null;
  const rows = await getCandles(db, { instrumentToken, timeframe: '1m', from: latest, to: new Date(latest.getTime() + 60_000) });
  return rows[0] ?? null;
}

export interface DayStats {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  /**
   * Previous session close, rupees: the last daily candle before `date` (official first, else
   * the provisional roll-up; getPreviousCloses in ./previous-close.ts), or null when unknown.
   */
  previousClose: number | null;
  /** close − previousClose, rupees, rounded to paise; null without a previous close (lib/market/change.ts). */
  change: number | null;
  /** Change in percent of previousClose, rounded to 2 decimals; null without a previous close. */
  changePercent: number | null;
  volume: number;
  candles: number;
}

/** OHLC, change and volume of one IST date from its 1m candles; null when it has none. */
export async function getDayStats(db: Database, instrumentToken: number, date: string): Promise<DayStats | null> {
  const dayStart = istDateStart(date);
  const rows = await db.query<{ open: number; high: number; low: number; close: number; volume: string | number; n: string | number }>(
    `SELECT first(open, bucket) AS open, max(high) AS high, min(low) AS low, last(close, bucket) AS close,
            sum(volume) AS volume, count(*) AS n
     FROM candles_1m WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
    [instrumentToken, new Date(dayStart).toISOString(), new Date(dayStart + DAY_MS).toISOString()],
  );
  const row = rows[0];
  if (!row || Number(row.n) === 0) return null;
  const previousClose = (await getPreviousCloses(db, [instrumentToken], dayStart)).get(instrumentToken)?.close ?? null;
  const close = Number(row.close);
  const { change, changePct } = priceChange(close, previousClose);
  const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return {
    date,
    open: Number(row.open),
    high: Number(row.high),
    low: Number(row.low),
    close,
    previousClose,
    change: round(change),
    changePercent: round(changePct),
    volume: Number(row.volume),
    candles: Number(row.n),
  };
}

export interface DayVwap {
  date: string;
  /** Σ(Δ cumulative volume × LTP) / Σ Δ volume over the day's stored ticks; null without traded volume. */
  vwapFromTicks: number | null;
  /** The exchange's day average traded price on the last tick (Kite average_traded_price), or null. */
  exchangeAveragePrice: number | null;
  /** Σ(typical price × volume) / Σ volume over the day's 1m candles (when ticks are gone), or null. */
  vwapFromCandles: number | null;
  volume: number;
}

/** VWAP of one IST date (see the field docs for the three estimates). */
export async function getDayVwap(db: Database, instrumentToken: number, date: string): Promise<DayVwap> {
  const from = new Date(istDateStart(date)).toISOString();
  const to = new Date(istDateStart(date) + DAY_MS).toISOString();
  const ticks = await db.query<{ pv: number | null; v: string | number | null; atp: number | null }>(
    `WITH d AS (
       SELECT time, ltp, average_price, volume - lag(volume) OVER (ORDER BY time, volume, seq) AS dv
       FROM ticks WHERE instrument_token = $1 AND time >= $2::timestamptz AND time < $3::timestamptz)
     SELECT sum(ltp * dv) FILTER (WHERE dv > 0) AS pv, sum(dv) FILTER (WHERE dv > 0) AS v,
            (SELECT average_price FROM d WHERE average_price IS NOT NULL ORDER BY time DESC LIMIT 1) AS atp
     FROM d`,
    [instrumentToken, from, to],
  );
  const candles = await db.query<{ pv: number | null; v: string | number | null }>(
    `SELECT sum((high + low + close) / 3 * volume) AS pv, sum(volume) AS v FROM candles_1m
     WHERE instrument_token = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz`,
    [instrumentToken, from, to],
  );
  const tv = Number(ticks[0]?.v ?? 0);
  const cv = Number(candles[0]?.v ?? 0);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    date,
    vwapFromTicks: tv > 0 ? round(Number(ticks[0].pv) / tv) : null,
    exchangeAveragePrice: ticks[0]?.atp === null || ticks[0]?.atp === undefined ? null : Number(ticks[0].atp),
    vwapFromCandles: cv > 0 ? round(Number(candles[0].pv) / cv) : null,
    volume: cv,
  };
}

export interface TickRow {
  time: string;
  ltp: number;
  lastQuantity: number | null;
  volume: number;
  averagePrice: number | null;
  oi: number | null;
  bidPrice: number | null;
  bidQuantity: number | null;
  askPrice: number | null;
  askQuantity: number | null;
}

/**
 * Stored ticks of an instrument in [from, to), oldest first, `limit` per page. The cursor
 * "<epoch ms>:<n>" means "from that instant, skipping the first n ticks stamped with it" (a
 * stable order: time, volume, ltp, seq). Returns the next cursor, or null on the last page.
 */
export async function getTicksPage(
  db: Database,
  options: { instrumentToken: number; from: Date; to: Date; limit: number; cursor?: string },
): Promise<{ ticks: TickRow[]; nextCursor: string | null }> {
  let start = options.from.getTime();
  let skip = 0;
  if (options.cursor) {
    const [ms, n] = options.cursor.split(':').map(Number);
    start = Math.max(start, ms);
    skip = ms >= options.from.getTime() ? n : 0;
  }
  const rows = await db.query<{
    ms: string | number; ltp: number; last_quantity: number | null; volume: string | number; average_price: number | null; oi: string | number | null;
    bid_price: number | null; bid_quantity: number | null; ask_price: number | null; ask_quantity: number | null;
  }>(
    `SELECT (extract(epoch FROM time) * 1000)::int8 AS ms, ltp, last_quantity, volume, average_price, oi, bid_price, bid_quantity, ask_price, ask_quantity
     FROM ticks WHERE instrument_token = $1 AND time >= $2::timestamptz AND time < $3::timestamptz
     ORDER BY time, volume, ltp, seq OFFSET $4 LIMIT $5`,
    [options.instrumentToken, new Date(start).toISOString(), options.to.toISOString(), skip, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  let nextCursor: string | null = null;
  if (rows.length > options.limit) {
    const lastMs = Number(page.at(-1)!.ms);
    const sameInstant = page.filter((r) => Number(r.ms) === lastMs).length;
    nextCursor = `${lastMs}:${(lastMs === start ? skip : 0) + sameInstant}`;
  }
  return {
    ticks: page.map((r) => ({
      time: new Date(Number(r.ms)).toISOString(),
      ltp: Number(r.ltp),
      lastQuantity: r.last_quantity,
      volume: Number(r.volume),
      averagePrice: r.average_price,
      oi: r.oi === null ? null : Number(r.oi),
      bidPrice: r.bid_price,
      bidQuantity: r.bid_quantity,
      askPrice: r.ask_price,
      askQuantity: r.ask_quantity,
    })),
    nextCursor,
  };
}
