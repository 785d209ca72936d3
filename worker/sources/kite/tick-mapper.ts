/**
 * KiteTicker tick objects (as the official client decodes them: prices in rupees, timestamps as
 * Date) → our `Tick`.
 *
 * Rules (kite.trade/docs/connect/v3/websocket, ../shared/notes/market.md):
 * - exchangeTime: `exchange_timestamp` (full mode; epoch seconds → ms UTC); ltp and quote
 *   packets carry no timestamp, nor do some full packets (0), so the receive time is used.
 * - volume: `volume_traded`, the cumulative day volume (0 in ltp mode and for indices).
 * - averagePrice: `average_traded_price` (day VWAP), null when absent or 0.
 * - oi: full mode only, and only for derivatives segments or when non-zero (equities send 0).
 * - best bid/ask and depth from the full-mode book; zero-price levels (padding) are dropped.
 * - prevClose: `ohlc.close`, which Kite fills with the previous session's close.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { DepthLevel, Tick } from '@/lib/market/tick';

/** A tick as KiteTicker emits it (kiteconnect 5.3 dist/lib/ticker.js parseBinary). */
export interface KiteTickerTick {
  tradable: boolean;
  mode: 'ltp' | 'quote' | 'full';
  instrument_token: number;
  last_price: number;
  last_traded_quantity?: number;
  average_traded_price?: number;
  volume_traded?: number;
  total_buy_quantity?: number;
  total_sell_quantity?: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  change?: number;
  last_trade_time?: Date | null;
  exchange_timestamp?: Date | null;
  oi?: number;
  oi_day_high?: number;
  oi_day_low?: number;
  depth?: { buy: DepthLevel[]; sell: DepthLevel[] };
}

const DERIVATIVE_EXCHANGES = new Set(['NFO', 'BFO', 'MCX', 'CDS', 'BCD']);

const nonZero = (value: number | undefined): number | null => (value ? value : null);
const levels = (side: DepthLevel[] | undefined): DepthLevel[] =>
  (side ?? []).filter((level) => level.price > 0).map(({ price, quantity, orders }) => ({ price, quantity, orders }));

/**
 * Map one KiteTicker tick for `instrument` to a Tick (feed 'kite'). `receivedAt` (epoch ms) is
 * used when the packet has no exchange timestamp.
 */
export function mapKiteTick(raw: KiteTickerTick, instrument: Instrument, receivedAt: number): Tick {
  const stamp = raw.exchange_timestamp instanceof Date ? raw.exchange_timestamp.getTime() : Number.NaN;
  const full = raw.mode === 'full' && raw.depth !== undefined;
  const buy = full ? levels(raw.depth!.buy) : [];
  const sell = full ? levels(raw.depth!.sell) : [];
  const derivative = DERIVATIVE_EXCHANGES.has(instrument.exchange);
  return {
    instrumentToken: raw.instrument_token,
    exchange: instrument.exchange,
    tradingsymbol: instrument.tradingsymbol,
    exchangeTime: Number.isFinite(stamp) && stamp > 0 ? stamp : receivedAt,
    ltp: raw.last_price,
    lastQuantity: raw.last_traded_quantity ?? 0,
    volume: raw.volume_traded ?? 0,
    averagePrice: nonZero(raw.average_traded_price),
    oi: raw.oi !== undefined && (derivative || raw.oi > 0) ? raw.oi : null,
    bidPrice: buy[0]?.price ?? null,
    bidQuantity: buy[0]?.quantity ?? null,
    askPrice: sell[0]?.price ?? null,
    askQuantity: sell[0]?.quantity ?? null,
    ...(full ? { depth: { buy, sell } } : {}),
    prevClose: nonZero(raw.ohlc?.close),
    feed: 'kite',
  };
}
