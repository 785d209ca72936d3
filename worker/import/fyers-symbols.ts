/**
 * Fyers symbol master (public CSV, e.g. https://public.fyers.in/sym_details/NSE_CM.csv; a real
 * one: ../shared/data/fyers-symbol-master/NSE_CM_2024-06-25.csv) → our `Instrument`.
 *
 * Headerless columns, in Fyers' order (../shared/data/README.md): 0 Fytoken, 1 symbol details,
 * 2 exchange instrument type, 3 minimum lot size, 4 tick size (rupees), 5 ISIN, 6 trading
 * session, 7 last update date, 8 expiry (epoch seconds for derivatives, empty for cash),
 * 9 symbol ticker ("NSE:INFY-EQ"), 10 exchange (10 NSE, 11 MCX, 12 BSE), 11 segment (10 capital
 * market, 11 equity derivatives, 12 currency, 20 commodity), 12 scrip code (= the exchange
 * token), 13 underlying symbol, 14 underlying scrip code, 15 strike (rupees; −1 when none),
 * 16 option type (CE/PE, "XX" when none), 17 underlying Fytoken, 18–20 trailing fields.
 *
 * One row per instrument whichever broker's master came first: Fyers' scrip code is the exchange
 * token, and Kite's instrument_token is `exchange_token · 256 + segment id` (NSE 1, NFO 2,
 * CDS 3, BSE 4, BFO 5, BCD 6, MCX 7, INDICES 9; verified on the shared masters: all 5,416 NSE
 * equities present in both give Kite's token), so the Fyers row gets Kite's token. Indices are
 * the exception (Fyers 26000 vs Kite 1001 for NIFTY 50): they are matched by name (see
 * `indexTradingsymbol`), and the importer reuses the stored row's token.
 */
import { createRequire } from 'node:module';
import type { Instrument } from '@/lib/market/instrument';
import type { Exchange } from '@/lib/market/tick';
import { fromFyersSymbol } from '../sources/fyers/symbols';

const require = createRequire(import.meta.url);

/** Kite's segment id (low byte of instrument_token) per exchange; INDICES is 9. */
export const KITE_SEGMENT_ID: Readonly<Record<Exchange, number>> = { NSE: 1, NFO: 2, CDS: 3, BSE: 4, BFO: 5, BCD: 6, MCX: 7 };
const INDICES_SEGMENT_ID = 9;

/** Fyers' index tickers → NSE/BSE index names ("NSE:NIFTY50-INDEX" → "Nifty 50"): the data socket's own table. */
let indexNames: Record<string, string> | undefined;
function indexNameTable(): Record<string, string> {
  indexNames ??= (require('fyers-api-v3/HSM/mapper.js') as { index_dict: Record<string, string> }).index_dict;
  return indexNames;
}

/**
 * Our tradingsymbol of a Fyers index ticker: the exchange's index name upper-cased, which is
 * Kite's index tradingsymbol ("NSE:NIFTY50-INDEX" → "NIFTY 50", "NSE:FINNIFTY-INDEX" →
 * "NIFTY FIN SERVICE"; 72 of the 75 NSE indices of the shared master match a Kite row, the
 * other 3 are foreign indices Kite does not list). Falls back to symbols.ts' mapping.
 */
export function indexTradingsymbol(ticker: string): string {
  const name = indexNameTable()[ticker];
  if (name) return name.toUpperCase();
  const ours = fromFyersSymbol(ticker);
  return ours ? ours.slice(ours.indexOf(':') + 1) : ticker.slice(ticker.indexOf(':') + 1).replace(/-INDEX$/, '');
}

export type FyersSymbolParse = { instrument: Instrument; scripCode: number; isIndex: boolean } | { error: string };

const SEGMENTS: Record<string, { cash: Exchange; derivative: Exchange }> = {
  '10': { cash: 'NSE', derivative: 'NFO' },
  '12': { cash: 'BSE', derivative: 'BFO' },
  '11': { cash: 'MCX', derivative: 'MCX' },
};

/** "YYYY-MM-DD" (IST) of an expiry cell: epoch seconds or a date; null when empty. */
function expiryOf(cell: string): string | null {
  const text = cell.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  if (!/^\d{9,10}$/.test(text)) return null;
  return new Date(Number(text) * 1000 + 19_800_000).toISOString().slice(0, 10);
}

/**
 * Parse one symbol-master row (columns as above). The instrument token is Kite's formula; for
 * indices it is provisional (scrip code · 256 + 9) and the importer replaces it by a stored
 * row's token when one has the same name. Errors name the bad cell.
 */
export function parseFyersSymbolRow(cells: readonly string[]): FyersSymbolParse {
  if (cells.length < 17) return { error: `${cells.length} columns (expected at least 17)` };
  const ticker = cells[9].trim();
  const scripCode = Number(cells[12]);
  if (!Number.isSafeInteger(scripCode) || scripCode <= 0) return { error: `bad scrip code "${cells[12]}"` };
  const exchanges = SEGMENTS[cells[10].trim()];
  if (!exchanges) return { error: `unsupported exchange code "${cells[10]}"` };
  const isIndex = ticker.endsWith('-INDEX');
  const segmentCode = cells[11].trim();
  const ours = isIndex ? `${exchanges.cash}:${indexTradingsymbol(ticker)}` : fromFyersSymbol(ticker);
  if (!ours) return { error: `unmappable ticker "${ticker}"` };
  const exchange = ours.slice(0, ours.indexOf(':')) as Exchange;
  const tradingsymbol = ours.slice(ours.indexOf(':') + 1);
  const optionType = ['CE', 'PE'].includes(cells[16].trim()) ? cells[16].trim() : null;
  const strike = Number(cells[15]);
  const derivative = segmentCode !== '10';
  const instrumentType = isIndex ? 'EQ' : optionType ?? (derivative ? 'FUT' : 'EQ');
  const segment = isIndex ? 'INDICES' : derivative ? `${exchange}-${optionType ? 'OPT' : 'FUT'}` : exchange;
  const num = (text: string) => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));
  return {
    scripCode,
    isIndex,
    instrument: {
      instrumentToken: scripCode * 256 + (isIndex ? INDICES_SEGMENT_ID : KITE_SEGMENT_ID[exchange]),
      exchange,
      tradingsymbol,
      name: isIndex ? tradingsymbol : cells[13].trim() || cells[1].trim() || null,
      segment,
      instrumentType,
      // Kite lists indices with tick size 0 and lot size 0; keep that so both masters agree.
      tickSize: isIndex ? 0 : num(cells[4]),
      lotSize: isIndex ? 0 : num(cells[3]),
      expiry: derivative ? expiryOf(cells[8]) : null,
      strike: optionType && strike >= 0 ? strike : null,
    },
  };
}
