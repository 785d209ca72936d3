/**
 * `marketdesk`: the project's own tick CSV format (documented in docs/tick-format.md).
 *
 * Header (exact order when writing; any order and extra columns accepted when reading):
 *   exchange_time,instrument_token,exchange,tradingsymbol,ltp,last_quantity,volume,
 *   average_price,oi,bid_price,bid_quantity,ask_price,ask_quantity
 * exchange_time is ISO-8601 UTC with milliseconds ("2025-12-29T07:17:00.000Z"); prices are
 * rupees; an empty field is null (empty last_quantity / volume read as 0, as `Tick` needs numbers).
 */
import type { StoredTickRow } from '@/lib/db/queries/tick-export';
import { parseZonedTimestamp } from '@/lib/market/session';
import { EXCHANGES, type Exchange, type Tick } from '@/lib/market/tick';
import { FieldReader, headerHas } from './fields';
import type { CsvRecord, NormaliseResult, TickFormat } from './types';

/** Column order of the marketdesk CSV. */
export const MARKETDESK_COLUMNS = [
  'exchange_time',
  'instrument_token',
  'exchange',
  'tradingsymbol',
  'ltp',
  'last_quantity',
  'volume',
  'average_price',
  'oi',
  'bid_price',
  'bid_quantity',
  'ask_price',
  'ask_quantity',
] as const;

/** The header line (no line terminator). */
export const MARKETDESK_HEADER = MARKETDESK_COLUMNS.join(',');

/**
 * The fields one marketdesk row carries: a `Tick`'s, with null allowed where the `ticks`
 * table allows it, so the export CLI can pass database rows joined with `instruments`.
 */
export type MarketdeskRow = StoredTickRow;

/** Quote a CSV field when it contains a comma, quote or line break (RFC 4180). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function num(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/**
 * Format one tick (or `ticks` row joined with its instrument) as a marketdesk CSV line, in
 * MARKETDESK_COLUMNS order, without line terminator. exchangeTime (epoch ms) is written as
 * ISO-8601 UTC with ms; numbers in JavaScript's shortest round-trip form; null → empty.
 */
export function formatMarketdeskCsvRow(row: MarketdeskRow): string {
  return [
    new Date(row.exchangeTime).toISOString(),
    String(row.instrumentToken),
    csvField(row.exchange),
    csvField(row.tradingsymbol),
    num(row.ltp),
    num(row.lastQuantity),
    num(row.volume),
    num(row.averagePrice),
    num(row.oi),
    num(row.bidPrice),
    num(row.bidQuantity),
    num(row.askPrice),
    num(row.askQuantity),
  ].join(',');
}

/**
 * Normalise one marketdesk record to a `Tick` (feed 'replay'). Rejects: missing columns,
 * exchange_time without an explicit offset, unknown exchange, non-positive ltp or token,
 * negative or fractional quantities.
 */
export function normaliseMarketdesk(record: CsvRecord): NormaliseResult {
  const r = new FieldReader(record);
  const timeText = r.text('exchange_time');
  const instrumentToken = r.number('instrument_token', { integer: true, above: 0 });
  const exchange = r.text('exchange').toUpperCase();
  const tradingsymbol = r.text('tradingsymbol');
  const ltp = r.number('ltp', { above: 0 });
  const lastQuantity = r.optionalNumber('last_quantity', { integer: true, min: 0 }) ?? 0;
  const volume = r.optionalNumber('volume', { integer: true, min: 0 }) ?? 0;
  const averagePrice = r.optionalNumber('average_price', { min: 0 });
  const oi = r.optionalNumber('oi', { integer: true, min: 0 });
  const bidPrice = r.optionalNumber('bid_price', { min: 0 });
  const bidQuantity = r.optionalNumber('bid_quantity', { integer: true, min: 0 });
  const askPrice = r.optionalNumber('ask_price', { min: 0 });
  const askQuantity = r.optionalNumber('ask_quantity', { integer: true, min: 0 });
  if (r.error) return r.fail();

  const exchangeTime = parseZonedTimestamp(timeText);
  if (Number.isNaN(exchangeTime)) return { error: `'exchange_time' is not ISO-8601 with offset: ${JSON.stringify(timeText)}` };
  if (!(EXCHANGES as readonly string[]).includes(exchange)) return { error: `unknown exchange ${JSON.stringify(exchange)}` };

  const tick: Tick = {
    instrumentToken,
    exchange: exchange as Exchange,
    tradingsymbol,
    exchangeTime,
    ltp,
    lastQuantity,
    volume,
    averagePrice,
    oi,
    bidPrice,
    bidQuantity,
    askPrice,
    askQuantity,
    feed: 'replay',
  };
  return { tick };
}

/** Registry entry: detected by a header containing all MARKETDESK_COLUMNS. */
export const marketdeskFormat: TickFormat = {
  id: 'marketdesk',
  description: 'marketdesk tick CSV (docs/tick-format.md)',
  columns: null,
  requiredColumns: MARKETDESK_COLUMNS,
  detect: (firstLine) => headerHas(firstLine, MARKETDESK_COLUMNS),
  normalise: normaliseMarketdesk,
  knownInstruments: [],
};
