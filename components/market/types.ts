/** A quote row as the home page receives it (server-side from getLatestQuotes, or /api/quotes). */
export interface QuoteRow {
  /** "EXCHANGE:TRADINGSYMBOL". */
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  /** Last traded price, rupees. */
  ltp: number;
  /** Cumulative day volume (0 for indices). */
  volume: number;
  /**
   * Previous session close, rupees (lib/market/change.ts): the stored one from the server, then
   * the ticks' `prevClose`; null when unknown (change shown as —).
   */
  prevClose: number | null;
  /** Exchange time of the last tick, epoch ms UTC. */
  time: number;
}

/** One row of GET /api/quotes. */
export interface ApiQuote {
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  time: string;
  ltp: number;
  volume: number;
  prev_close: number | null;
  change: number | null;
  change_pct: number | null;
}

export function quoteRowFromApi(quote: ApiQuote): QuoteRow {
  return {
    symbol: `${quote.exchange}:${quote.tradingsymbol}`,
    exchange: quote.exchange,
    tradingsymbol: quote.tradingsymbol,
    name: quote.name,
    ltp: quote.ltp,
    volume: quote.volume,
    prevClose: quote.prev_close,
    time: Date.parse(quote.time),
  };
}

/** Indices (no volume, not tradable): NSE "NIFTY …" / "INDIA VIX", BSE SENSEX / BANKEX. */
export function isIndexSymbol(exchange: string, tradingsymbol: string): boolean {
  if (exchange === 'NSE') return /^(NIFTY\s|INDIA VIX$)/.test(tradingsymbol);
  if (exchange === 'BSE') return tradingsymbol === 'SENSEX' || tradingsymbol === 'BANKEX';
  return false;
}

/** Display group: indices first, then cash equities, then derivatives. */
export function groupRank(exchange: string, tradingsymbol: string): number {
  if (isIndexSymbol(exchange, tradingsymbol)) return 0;
  return exchange === 'NSE' || exchange === 'BSE' ? 1 : 2;
}
