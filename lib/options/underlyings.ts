/**
 * Where an option underlying's spot price and contracts live.
 * Index options: the contract `name` in Kite's NFO master (NIFTY, BANKNIFTY, …) differs from the
 * index's tradingsymbol on NSE ("NIFTY 50", "NIFTY BANK", …); stock options share the equity's symbol.
 */
import type { Exchange } from '@/lib/market/tick';

/** Kite NFO/BFO option name → the index's "EXCHANGE:TRADINGSYMBOL". */
export const INDEX_SPOT: Readonly<Record<string, string>> = {
  NIFTY: 'NSE:NIFTY 50',
  BANKNIFTY: 'NSE:NIFTY BANK',
  FINNIFTY: 'NSE:NIFTY FIN SERVICE',
  MIDCPNIFTY: 'NSE:NIFTY MID SELECT',
  NIFTYNXT50: 'NSE:NIFTY NEXT 50',
  SENSEX: 'BSE:SENSEX',
  BANKEX: 'BSE:BANKEX',
};

export interface UnderlyingSource {
  /** Derivatives exchange of the contracts (NFO, or BFO for SENSEX/BANKEX). */
  exchange: Exchange;
  /** Spot: exchange and tradingsymbol. */
  spot: { exchange: Exchange; tradingsymbol: string };
}

/** Where `name` (upper case, e.g. "NIFTY", "RELIANCE") trades. */
export function underlyingSource(name: string): UnderlyingSource {
  const index = INDEX_SPOT[name];
  if (index) {
    const [exchange, tradingsymbol] = index.split(':') as [Exchange, string];
    return { exchange: exchange === 'BSE' ? 'BFO' : 'NFO', spot: { exchange, tradingsymbol } };
  }
  return { exchange: 'NFO', spot: { exchange: 'NSE', tradingsymbol: name } };
}
