/**
 * The one definition of change and % change used everywhere (home page quotes, breadth and heat
 * map, watchlists, scanner, chart header, alerts, intraday stats): the last price against the
 * previous session's close.
 *
 * Previous close (rupees) is, in this order: the feed's `prevClose` when the tick carries it
 * (Kite `ohlc.close`), else the close of the instrument's last daily candle before the tick's
 * IST day, official (candles_1d_official) first, else the provisional roll-up (candles_1d); see
 * lib/db/queries/previous-close.ts (`getPreviousCloses`). When none is known, change and %
 * change are null (shown as "—"); they are never computed from the day's open or the first
 * price seen.
 *
 * Pure, no I/O: safe in the browser, the web server and the worker.
 */

/** Change of a price against the previous close. */
export interface PriceChange {
  /** ltp − previous close, rupees; null when either is unknown. */
  change: number | null;
  /** (ltp − previous close) / previous close × 100, percent; null when either is unknown. */
  changePct: number | null;
}

/** A usable previous close: a finite positive number of rupees, else null. */
export function knownPreviousClose(prevClose: number | null | undefined): number | null {
  return typeof prevClose === 'number' && Number.isFinite(prevClose) && prevClose > 0 ? prevClose : null;
}

/**
 * Change and % change of `ltp` against `prevClose` (both rupees). Null fields when the last
 * price or the previous close is unknown (null, undefined, not finite, or a close ≤ 0).
 *
 * @example priceChange(1030, 1000) → { change: 30, changePct: 3 }
 * @example priceChange(1030, null) → { change: null, changePct: null }
 */
export function priceChange(ltp: number | null | undefined, prevClose: number | null | undefined): PriceChange {
  const base = knownPreviousClose(prevClose);
  if (base === null || typeof ltp !== 'number' || !Number.isFinite(ltp)) return { change: null, changePct: null };
  const change = ltp - base;
  return { change, changePct: (change / base) * 100 };
}

/** Direction of a change for breadth and colours: 1 advance, −1 decline, 0 unchanged, null unknown. */
export function changeDirection(change: number | null | undefined): 1 | -1 | 0 | null {
  if (change === null || change === undefined || !Number.isFinite(change)) return null;
  return change > 0 ? 1 : change < 0 ? -1 : 0;
}
