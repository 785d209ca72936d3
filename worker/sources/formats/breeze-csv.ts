/**
 * `breeze-csv`: ICICI Breeze NFO futures ticks as CSV, as in
 * ../shared/data/breeze-nfo-ticks/all_ticks_FUTURES.csv.
 *
 * Columns: Symbol (Breeze stock code: RELIND, TCS, TRENT, MCX …), exchange_timestamp (IST
 * wall clock with microseconds, no offset: "2025-11-17 12:07:57.022308"), last_price (rupees),
 * volume_traded (cumulative day volume), last_traded_quantity, open_interest, change_in_oi,
 * bid_price_N/bid_qty_N and ask_price_N/ask_qty_N for N = 1…5 (0.0 = empty level),
 * total_buy_qty, total_sell_qty.
 *
 * Choices (also in docs/tick-format.md):
 * - exchange NFO; tradingsymbol `${Symbol}-FUT` (e.g. "RELIND-FUT"), keeping Breeze's stock code
 *   because the file does not say which Kite symbol or expiry it is (RELIND = RELIANCE).
 * - no broker token in the file: instrumentToken = 2^33 + (FNV-1a32("BREEZE:NFO:" + tradingsymbol)
 *   mod 2^30), stable and never equal to a Kite (uint32) token; see synthetic-token.ts.
 * - no day VWAP and no previous close in the file: averagePrice null, prevClose absent.
 * - depth: levels with price 0 are dropped; best bid/ask = first remaining level, else null.
 * - Mislabelled book: in the sample, every ask level is 0 and bid_price_2 is ALWAYS above
 *   bid_price_1 (impossible for a bid ladder, which descends). The capture wrote Breeze's best
 *   bid and best offer into bid levels 1 and 2. Rule: when all ask levels are empty and
 *   bid_price_2 > bid_price_1 > 0, bid level 2 is read as the best ask. A correctly labelled
 *   file is read as is.
 */
import { parseIstLocal } from '@/lib/market/session';
import type { DepthLevel, Tick } from '@/lib/market/tick';
import { readDepthSide } from './depth';
import { FieldReader, headerHas } from './fields';
import { BREEZE_TOKEN_BASE, syntheticToken } from './synthetic-token';
import type { CsvRecord, NormaliseResult, TickFormat } from './types';

const REQUIRED = ['Symbol', 'exchange_timestamp', 'last_price', 'volume_traded'] as const;
/** A Breeze stock code: letters, digits, '&' and '-', with at least one letter. */
const SYMBOL_RE = /^(?=.*[A-Z])[A-Z0-9&-]+$/;

/** Breeze stock code → tradingsymbol used for its (near-month) future, e.g. "RELIND" → "RELIND-FUT". */
export function breezeFutureSymbol(stockCode: string): string {
  return `${stockCode}-FUT`;
}

/** Synthetic, stable instrument token of a Breeze NFO tradingsymbol (range [2^33, 2^33 + 2^30)). */
export function breezeToken(tradingsymbol: string): number {
  return syntheticToken(BREEZE_TOKEN_BASE, `BREEZE:NFO:${tradingsymbol}`);
}

/** Undo the capture's bid/ask mislabelling described in the module comment. */
function fixMislabelledBook(buy: DepthLevel[], sell: DepthLevel[]): { buy: DepthLevel[]; sell: DepthLevel[] } {
  if (sell.length === 0 && buy.length === 2 && buy[1].price > buy[0].price) {
    return { buy: [buy[0]], sell: [buy[1]] };
  }
  return { buy, sell };
}

/** Normalise one Breeze futures CSV record to a `Tick` (exchange NFO, feed 'replay'). */
export function normaliseBreezeCsv(record: CsvRecord): NormaliseResult {
  const r = new FieldReader(record);
  const code = r.text('Symbol').toUpperCase();
  const timeText = r.text('exchange_timestamp');
  const ltp = r.number('last_price', { above: 0 });
  const volume = r.number('volume_traded', { integer: true, min: 0 });
  const lastQuantity = r.optionalNumber('last_traded_quantity', { integer: true, min: 0 }) ?? 0;
  const oi = r.optionalNumber('open_interest', { integer: true, min: 0 });
  const rawBuy = readDepthSide(r, { price: (n) => `bid_price_${n}`, quantity: (n) => `bid_qty_${n}` });
  const rawSell = readDepthSide(r, { price: (n) => `ask_price_${n}`, quantity: (n) => `ask_qty_${n}` });
  if (r.error) return r.fail();

  if (!SYMBOL_RE.test(code)) return { error: `'Symbol' is not a Breeze stock code: ${JSON.stringify(code)}` };
  const exchangeTime = parseIstLocal(timeText);
  if (Number.isNaN(exchangeTime))
    return { error: `'exchange_timestamp' is not an IST date-time: ${JSON.stringify(timeText)}` };

  const { buy, sell } = fixMislabelledBook(rawBuy, rawSell);
  const tradingsymbol = breezeFutureSymbol(code);
  const tick: Tick = {
    instrumentToken: breezeToken(tradingsymbol),
    exchange: 'NFO',
    tradingsymbol,
    exchangeTime,
    ltp,
    lastQuantity,
    volume,
    averagePrice: null,
    oi,
    bidPrice: buy[0]?.price ?? null,
    bidQuantity: buy[0]?.quantity ?? null,
    askPrice: sell[0]?.price ?? null,
    askQuantity: sell[0]?.quantity ?? null,
    depth: { buy, sell },
    feed: 'replay',
  };
  return { tick };
}

/** Registry entry: detected by a header with Symbol, exchange_timestamp, last_price, volume_traded. */
export const breezeCsvFormat: TickFormat = {
  id: 'breeze-csv',
  description: 'ICICI Breeze NFO futures ticks as CSV (exchange_timestamp IST, no token)',
  columns: null,
  requiredColumns: REQUIRED,
  detect: (firstLine) => headerHas(firstLine, REQUIRED),
  normalise: normaliseBreezeCsv,
  knownInstruments: [],
};
