import { fromApiQuote, type ApiQuote, type Quote } from '@/lib/contracts/quote';
import { symbolOf } from '@/lib/market/tick';

/**
 * A quote row of the home page: the quote contract (lib/contracts/quote.ts) with its symbol. The
 * server renders them from getLatestQuotes, /api/quotes refreshes them, ticks move them.
 * `prevClose` is the stored previous session close, then the ticks' `prevClose`; null when
 * unknown (change shown as —).
 */
export type QuoteRow = Pick<Quote, 'exchange' | 'tradingsymbol' | 'name' | 'ltp' | 'volume' | 'prevClose' | 'time'> & {
  /** "EXCHANGE:TRADINGSYMBOL". */
  symbol: string;
};

export function quoteRow(quote: Quote): QuoteRow {
  const { exchange, tradingsymbol, name, ltp, volume, prevClose, time } = quote;
  return { symbol: symbolOf(quote), exchange, tradingsymbol, name, ltp, volume, prevClose, time };
}

/** A row of GET /api/quotes as a quote row. */
export const quoteRowFromApi = (quote: ApiQuote): QuoteRow => quoteRow(fromApiQuote(quote));

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
