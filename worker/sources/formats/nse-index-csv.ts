/**
 * `nse-index-csv`: per-second NIFTY 50 index snapshots from nseindia.com's chart data, as in
 * ../shared/data/nse-nifty-1s-vs-1m/anshkumar_YYYY-MM-DD.csv.
 *
 * No header: every line is `YYYY-MM-DD HH:MM:SS,value` with IST wall-clock time and the index
 * value in points. Each line becomes a tick of NSE:"NIFTY 50" (Kite token 256265) with
 * ltp = value, volume 0, lastQuantity 0, no VWAP, OI or quotes. Pre-open samples (09:00–09:15)
 * are kept; the aggregator and gap logic decide what to do with them.
 */
import type { Instrument } from '@/lib/market/instrument';
import { parseIstLocal } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import { FieldReader } from './fields';
import type { CsvRecord, NormaliseResult, TickFormat } from './types';

/** Column names given to the headerless file's two fields. */
export const NSE_INDEX_COLUMNS = ['time', 'value'] as const;

/** The index these files carry: NIFTY 50 as in Kite's instruments master (segment INDICES). */
export const NIFTY_50_INSTRUMENT: Instrument = {
  instrumentToken: 256265,
  exchange: 'NSE',
  tradingsymbol: 'NIFTY 50',
  name: 'NIFTY 50',
  segment: 'INDICES',
  instrumentType: 'EQ',
  tickSize: 0,
  lotSize: 0,
  expiry: null,
  strike: null,
};

const LINE_RE = /^\uFEFF?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\s*[+-]?\d+(?:\.\d+)?\s*$/;

/** Normalise one `{ time, value }` record to a NIFTY 50 tick (feed 'replay'). */
export function normaliseNseIndexCsv(record: CsvRecord): NormaliseResult {
  const r = new FieldReader(record);
  const timeText = r.text('time');
  const value = r.number('value', { above: 0 });
  if (r.error) return r.fail();
  const exchangeTime = parseIstLocal(timeText);
  if (Number.isNaN(exchangeTime)) return { error: `'time' is not an IST date-time: ${JSON.stringify(timeText)}` };

  const tick: Tick = {
    instrumentToken: NIFTY_50_INSTRUMENT.instrumentToken,
    exchange: 'NSE',
    tradingsymbol: NIFTY_50_INSTRUMENT.tradingsymbol,
    exchangeTime,
    ltp: value,
    lastQuantity: 0,
    volume: 0,
    averagePrice: null,
    oi: null,
    bidPrice: null,
    bidQuantity: null,
    askPrice: null,
    askQuantity: null,
    feed: 'replay',
  };
  return { tick };
}

/** Registry entry: headerless, detected when the first line is `YYYY-MM-DD HH:MM:SS,number`. */
export const nseIndexCsvFormat: TickFormat = {
  id: 'nse-index-csv',
  description: 'NSE NIFTY 50 per-second index values, headerless "YYYY-MM-DD HH:MM:SS,value" (IST)',
  columns: NSE_INDEX_COLUMNS,
  requiredColumns: NSE_INDEX_COLUMNS,
  detect: (firstLine) => LINE_RE.test(firstLine.replace(/\r$/, '')),
  normalise: normaliseNseIndexCsv,
  knownInstruments: [NIFTY_50_INSTRUMENT],
};
