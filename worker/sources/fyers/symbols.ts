/**
 * Fyers symbols ↔ ours (Fyers symbology, myapi.fyers.in/docsv3 "Symbology format").
 *
 * | Fyers | ours | rule |
 * |---|---|---|
 * | NSE:SBIN-EQ | NSE:SBIN | NSE cash, EQ series: the suffix goes (other series keep it: NSE:XYZ-BE, as Kite) |
 * | BSE:SBIN-A | BSE:SBIN | BSE cash: the group letter goes; ours → Fyers needs the group (default A) |
 * | NSE:NIFTY50-INDEX | NSE:NIFTY 50 | indices by the table below; other names by removing spaces |
 * | NSE:NIFTY25DECFUT, NSE:NIFTY25D2326000CE | NFO:… | NSE derivatives are NFO (same tradingsymbol as Kite) |
 * | NSE:USDINR25DECFUT | CDS:USDINR25DECFUT | NSE currency derivatives |
 * | BSE:SENSEX25DECFUT | BFO:… | BSE derivatives |
 * | MCX:CRUDEOIL25DECFUT | MCX:… | commodities |
 */
import { parseSymbol, type Exchange } from '@/lib/market/tick';

/** Fyers index names ↔ the instruments master's (Kite) index tradingsymbols. */
const INDEX_NAMES: ReadonlyArray<[fyers: string, ours: string]> = [
  ['NSE:NIFTY50-INDEX', 'NSE:NIFTY 50'],
  ['NSE:NIFTYBANK-INDEX', 'NSE:NIFTY BANK'],
  ['NSE:FINNIFTY-INDEX', 'NSE:NIFTY FIN SERVICE'],
  ['NSE:MIDCPNIFTY-INDEX', 'NSE:NIFTY MID SELECT'],
  ['NSE:NIFTYNXT50-INDEX', 'NSE:NIFTY NEXT 50'],
  ['NSE:INDIAVIX-INDEX', 'NSE:INDIA VIX'],
  ['NSE:NIFTYIT-INDEX', 'NSE:NIFTY IT'],
  ['BSE:SENSEX-INDEX', 'BSE:SENSEX'],
  ['BSE:BANKEX-INDEX', 'BSE:BANKEX'],
];
const FROM_FYERS_INDEX = new Map(INDEX_NAMES);
const TO_FYERS_INDEX = new Map(INDEX_NAMES.map(([f, o]) => [o, f]));

const CURRENCY = /^(USDINR|EURINR|GBPINR|JPYINR|EURUSD|GBPUSD|USDJPY)/;
const DERIVATIVE = /(FUT|CE|PE)$/;

/** Our "EXCHANGE:TRADINGSYMBOL" for a Fyers symbol, or null when it is not one we store. */
export function fromFyersSymbol(fyers: string): string | null {
  const index = FROM_FYERS_INDEX.get(fyers);
  if (index) return index;
  const at = fyers.indexOf(':');
  if (at <= 0) return null;
  const exchange = fyers.slice(0, at);
  const name = fyers.slice(at + 1);
  if (!name) return null;
  if (name.endsWith('-INDEX')) return `${exchange}:${name.slice(0, -'-INDEX'.length)}`;
  if (exchange === 'MCX') return `MCX:${name}`;
  if (exchange === 'NSE') {
    if (name.endsWith('-EQ')) return `NSE:${name.slice(0, -3)}`;
    if (DERIVATIVE.test(name)) return `${CURRENCY.test(name) ? 'CDS' : 'NFO'}:${name}`;
    return `NSE:${name}`;
  }
  if (exchange === 'BSE') {
    if (DERIVATIVE.test(name)) return `${CURRENCY.test(name) ? 'BCD' : 'BFO'}:${name}`;
    const dash = name.lastIndexOf('-');
    return `BSE:${dash > 0 ? name.slice(0, dash) : name}`;
  }
  return null;
}

/**
 * The Fyers symbol for our "EXCHANGE:TRADINGSYMBOL". `segment` (instruments master) tells an
 * index apart from an equity; `bseGroup` is the BSE group letter (default "A").
 */
export function toFyersSymbol(symbol: string, options: { segment?: string | null; bseGroup?: string } = {}): string | null {
  const index = TO_FYERS_INDEX.get(symbol);
  if (index) return index;
  const parsed = parseSymbol(symbol);
  if (!parsed) return null;
  const { exchange, tradingsymbol } = parsed;
  if (options.segment === 'INDICES') return `${exchange}:${tradingsymbol.replace(/\s+/g, '')}-INDEX`;
  const map: Record<Exchange, string> = { NSE: 'NSE', NFO: 'NSE', CDS: 'NSE', BSE: 'BSE', BFO: 'BSE', BCD: 'BSE', MCX: 'MCX' };
  if (exchange === 'NSE') return /-[A-Z]{1,2}$/.test(tradingsymbol) ? `NSE:${tradingsymbol}` : `NSE:${tradingsymbol}-EQ`;
  if (exchange === 'BSE') return `BSE:${tradingsymbol}-${options.bseGroup ?? 'A'}`;
  return `${map[exchange]}:${tradingsymbol}`;
}
