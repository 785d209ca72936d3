/**
 * Exchanges and symbols ("EXCHANGE:TRADINGSYMBOL"); re-exports the `Tick` and `Candle` contracts.
 *
 * Units: prices in rupees (Kite's binary protocol sends paise; its client divides by 100),
 * quantities in shares/contracts, times in epoch milliseconds UTC.
 */

export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'] as const;
export type Exchange = (typeof EXCHANGES)[number];

// The Tick and Candle shapes are contracts (zod schemas in lib/contracts/tick.ts and candle.ts,
// types inferred from them); re-exported here for the many modules that import them from here.
export type { DepthLevel, FeedSource, Tick } from '@/lib/contracts/tick';
export type { Candle } from '@/lib/contracts/candle';

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
