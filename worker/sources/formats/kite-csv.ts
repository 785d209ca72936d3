/**
 * `kite-csv`: KiteTicker full-mode ticks written to CSV (one row per tick), as in
 * ../shared/data/easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv.
 *
 * Mapping (Kite Connect v3 WebSocket docs, kite.trade/docs/connect/v3/websocket):
 * - `time` (UTC with offset, "2025-12-29 07:17:00+00:00") is the exchange timestamp →
 *   exchangeTime. `last_trade_time` is not used.
 * - exchange from the segment code `instrument_token & 0xff`: 1 NSE, 2 NFO, 3 CDS, 4 BSE,
 *   5 BFO, 6 BCD, 7 MCX, 9 indices → NSE (a BSE index such as SENSEX, token 265, is also
 *   segment 9 and would be labelled NSE: an `exchange` column, when present, overrides).
 *   Segment 8 (MCX-SX) has no `Exchange` and is rejected.
 * - prices already in rupees; `volume_traded` is the cumulative day volume; `average_traded_price`
 *   the day VWAP; `day_close` is Kite's ohlc.close, i.e. the previous session's close → prevClose.
 * - 5-level depth bid_price_N / bid_qty_N / bid_orders_N (and ask_*); best bid/ask = level 1.
 * Columns the sample's author derived (aggressor_side, cvd_change, …) are ignored.
 */
import { parseZonedTimestamp } from '@/lib/market/session';
import { EXCHANGES, type Exchange, type Tick } from '@/lib/market/tick';
import { readDepthSide } from './depth';
import { FieldReader, headerHas } from './fields';
import type { CsvRecord, NormaliseResult, TickFormat } from './types';

/** Kite segment code (instrument_token & 0xff) → exchange. */
export const KITE_SEGMENT_EXCHANGE: Readonly<Record<number, Exchange>> = {
  1: 'NSE',
  2: 'NFO',
  3: 'CDS',
  4: 'BSE',
  5: 'BFO',
  6: 'BCD',
  7: 'MCX',
  9: 'NSE',
};

/** Exchange of a Kite instrument token by its segment byte, or null for unknown segments. */
export function exchangeOfKiteToken(token: number): Exchange | null {
  return KITE_SEGMENT_EXCHANGE[token & 0xff] ?? null;
}

const REQUIRED = ['time', 'instrument_token', 'trading_symbol', 'last_price', 'volume_traded'] as const;

/**
 * Normalise one Kite tick CSV record to a `Tick` (feed 'replay'). Optional columns (oi,
 * last_traded_quantity, average_traded_price, day_close, depth) may be absent or blank.
 */
export function normaliseKiteCsv(record: CsvRecord): NormaliseResult {
  const r = new FieldReader(record);
  const timeText = r.text('time');
  const instrumentToken = r.number('instrument_token', { integer: true, above: 0 });
  const tradingsymbol = r.text('trading_symbol');
  const ltp = r.number('last_price', { above: 0 });
  const volume = r.number('volume_traded', { integer: true, min: 0 });
  const lastQuantity = r.optionalNumber('last_traded_quantity', { integer: true, min: 0 }) ?? 0;
  const oi = r.optionalNumber('oi', { integer: true, min: 0 });
  const averagePrice = r.optionalNumber('average_traded_price', { min: 0 });
  const prevClose = r.optionalNumber('day_close', { min: 0 });
  const buy = readDepthSide(r, {
    price: (n) => `bid_price_${n}`,
    quantity: (n) => `bid_qty_${n}`,
    orders: (n) => `bid_orders_${n}`,
  });
  const sell = readDepthSide(r, {
    price: (n) => `ask_price_${n}`,
    quantity: (n) => `ask_qty_${n}`,
    orders: (n) => `ask_orders_${n}`,
  });
  if (r.error) return r.fail();

  const exchangeTime = parseZonedTimestamp(timeText);
  if (Number.isNaN(exchangeTime)) return { error: `'time' is not a timestamp with offset: ${JSON.stringify(timeText)}` };
  const override = record.exchange?.trim().toUpperCase();
  const exchange =
    override && (EXCHANGES as readonly string[]).includes(override)
      ? (override as Exchange)
      : exchangeOfKiteToken(instrumentToken);
  if (!exchange) return { error: `unsupported Kite segment ${instrumentToken & 0xff} of token ${instrumentToken}` };

  const tick: Tick = {
    instrumentToken,
    exchange,
    tradingsymbol,
    exchangeTime,
    ltp,
    lastQuantity,
    volume,
    averagePrice: averagePrice === 0 ? null : averagePrice,
    oi,
    bidPrice: buy[0]?.price ?? null,
    bidQuantity: buy[0]?.quantity ?? null,
    askPrice: sell[0]?.price ?? null,
    askQuantity: sell[0]?.quantity ?? null,
    depth: { buy, sell },
    prevClose: prevClose === 0 ? null : prevClose,
    feed: 'replay',
  };
  return { tick };
}

/** Registry entry: detected by a header with time, instrument_token, trading_symbol, last_price, volume_traded. */
export const kiteCsvFormat: TickFormat = {
  id: 'kite-csv',
  description: 'KiteTicker full-mode ticks as CSV (time in UTC, volume_traded cumulative)',
  columns: null,
  requiredColumns: REQUIRED,
  detect: (firstLine) => headerHas(firstLine, REQUIRED),
  normalise: normaliseKiteCsv,
  knownInstruments: [],
};
