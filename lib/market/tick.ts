/**
 * Shared market-data contracts: the one `Tick` type every feed produces, and `Candle`.
 *
 * Units: prices in rupees (Kite's binary protocol sends paise; its client divides by 100),
 * quantities in shares/contracts, times in epoch milliseconds UTC.
 */
import type { Timeframe } from './timeframes';

export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'] as const;
export type Exchange = (typeof EXCHANGES)[number];

/** Where a tick came from. */
export type FeedSource = 'simulator' | 'replay' | 'kite' | 'fyers';

/** One level of market depth. */
export interface DepthLevel {
  price: number;
  quantity: number;
  orders: number;
}

/** A normalised market tick (a conflated snapshot of one instrument). */
export interface Tick {
  /** Broker instrument token (Kite's instrument_token; synthetic and stable for feeds without one). */
  instrumentToken: number;
  exchange: Exchange;
  tradingsymbol: string;
  /** Exchange timestamp, epoch ms UTC. */
  exchangeTime: number;
  /** Last traded price, rupees. */
  ltp: number;
  /** Last traded quantity. */
  lastQuantity: number;
  /** Cumulative day volume (Kite `volume_traded`); 0 for indices. */
  volume: number;
  /** Exchange's average traded price for the day (day VWAP), rupees; null if unknown. */
  averagePrice: number | null;
  /** Open interest (F&O); null when not applicable. */
  oi: number | null;
  bidPrice: number | null;
  bidQuantity: number | null;
  askPrice: number | null;
  askQuantity: number | null;
  /** Optional 5-level depth (full mode). */
  depth?: { buy: DepthLevel[]; sell: DepthLevel[] };
  /** Previous session close, rupees, when the feed supplies it (for change / % change). */
  prevClose?: number | null;
  feed: FeedSource;
}

/** An OHLCV candle of one instrument. */
export interface Candle {
  instrumentToken: number;
  /** "EXCHANGE:TRADINGSYMBOL". */
  symbol: string;
  timeframe: Timeframe;
  /** Bucket start, epoch ms UTC. */
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Traded quantity within the bucket (difference of cumulative day volume). */
  volume: number;
  /** Last open interest seen in the bucket, or null. */
  oi: number | null;
  /** True once the bucket has ended and the candle is final. */
  closed: boolean;
  /**
   * True when the volume is known to be incomplete: the candle holds the first tick seen after a
   * start in the middle of a session with no stored baseline of that day (its cumulative volume
   * before the start is unknown). Gap repair replaces such 1m candles with the broker's.
   */
  partial?: boolean;
}

/** "NSE:INFY" from a tick or instrument. */
export function symbolOf(item: { exchange: string; tradingsymbol: string }): string {
  return `${item.exchange}:${item.tradingsymbol}`;
}

/**
 * Parse "EXCHANGE:TRADINGSYMBOL" (e.g. "NSE:INFY", "NSE:NIFTY 50", "NFO:NIFTY25DECFUT").
 * Returns null when there is no known exchange prefix or no symbol.
 */
export function parseSymbol(symbol: string): { exchange: Exchange; tradingsymbol: string } | null {
  const at = symbol.indexOf(':');
  if (at <= 0) return null;
  const exchange = symbol.slice(0, at).toUpperCase();
  const tradingsymbol = symbol.slice(at + 1).trim();
  if (!tradingsymbol || !(EXCHANGES as readonly string[]).includes(exchange)) return null;
  return { exchange: exchange as Exchange, tradingsymbol };
}
