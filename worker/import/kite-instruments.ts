/**
 * Kite instruments master (GET /instruments CSV, https://kite.trade/docs/connect/v3/market-quotes/#instruments):
 * `instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange`.
 * Prices in rupees; indices have tick_size 0 and lot_size 0.
 */
import type { Instrument } from '@/lib/market/instrument';
import { EXCHANGES, type Exchange } from '@/lib/market/tick';

export type InstrumentParse = { instrument: Instrument } | { error: string };

const numberOrNull = (text: string | undefined) => {
  if (text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

/** Parse one record of the instruments CSV; rows of unsupported exchanges are errors. */
export function parseKiteInstrument(record: Record<string, string>): InstrumentParse {
  const token = Number(record.instrument_token);
  if (!Number.isSafeInteger(token) || token <= 0) return { error: `bad instrument_token "${record.instrument_token}"` };
  const exchange = record.exchange?.toUpperCase();
  if (!(EXCHANGES as readonly string[]).includes(exchange)) return { error: `unsupported exchange "${record.exchange}"` };
  if (!record.tradingsymbol) return { error: 'missing tradingsymbol' };
  const strike = numberOrNull(record.strike);
  return {
    instrument: {
      instrumentToken: token,
      exchange: exchange as Exchange,
      tradingsymbol: record.tradingsymbol,
      name: record.name || null,
      segment: record.segment || null,
      instrumentType: record.instrument_type || null,
      tickSize: numberOrNull(record.tick_size),
      lotSize: numberOrNull(record.lot_size),
      expiry: /^\d{4}-\d{2}-\d{2}$/.test(record.expiry ?? '') ? record.expiry : null,
      strike: strike === 0 && !['CE', 'PE'].includes(record.instrument_type) ? null : strike,
    },
  };
}
