/**
 * Fyers: symbol mapping both ways, and the documented data-socket JSON (fyers-v3-fixtures/ws:
 * sf, if, dp events) mapped to Tick.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import { FyersTickMapper, type FyersMessage } from '@/worker/sources/fyers/tick-mapper';
import { fromFyersSymbol, toFyersSymbol } from '@/worker/sources/fyers/symbols';
import { sharedFile } from '../support/shared-data';

const SF = sharedFile('fyers-v3-fixtures/ws/data/event_symbol_update.json');
const IF = sharedFile('fyers-v3-fixtures/ws/data/event_index_update.json');
const DP = sharedFile('fyers-v3-fixtures/ws/data/event_depth_update.json');

describe('Fyers symbols', () => {
  const pairs: [string, string, { segment?: string }?][] = [
    ['NSE:SBIN-EQ', 'NSE:SBIN'],
    ['NSE:NIFTY50-INDEX', 'NSE:NIFTY 50', { segment: 'INDICES' }],
    ['NSE:NIFTYBANK-INDEX', 'NSE:NIFTY BANK', { segment: 'INDICES' }],
    ['BSE:SENSEX-INDEX', 'BSE:SENSEX', { segment: 'INDICES' }],
    ['NSE:NIFTY25DECFUT', 'NFO:NIFTY25DECFUT'],
    ['NSE:NIFTY25D2326000CE', 'NFO:NIFTY25D2326000CE'],
    ['NSE:USDINR25DECFUT', 'CDS:USDINR25DECFUT'],
    ['BSE:SENSEX25DECFUT', 'BFO:SENSEX25DECFUT'],
    ['MCX:CRUDEOIL25DECFUT', 'MCX:CRUDEOIL25DECFUT'],
    ['BSE:RELIANCE-A', 'BSE:RELIANCE'],
    ['NSE:IDEA-BE', 'NSE:IDEA-BE'],
  ];
  it.each(pairs)('%s ↔ %s', (fyers, ours, options) => {
    expect(fromFyersSymbol(fyers)).toBe(ours);
    expect(toFyersSymbol(ours, options)).toBe(fyers);
  });
  it('maps unlisted indices by removing spaces, and refuses garbage', () => {
    expect(toFyersSymbol('NSE:NIFTY AUTO', { segment: 'INDICES' })).toBe('NSE:NIFTYAUTO-INDEX');
    expect(fromFyersSymbol('NSE:NIFTYAUTO-INDEX')).toBe('NSE:NIFTYAUTO');
    expect(fromFyersSymbol('SBIN')).toBeNull();
    expect(toFyersSymbol('XYZ:ABC')).toBeNull();
  });
});

const instrument = (token: number, exchange: 'NSE', tradingsymbol: string): Instrument => ({
  instrumentToken: token, exchange, tradingsymbol, name: null, segment: null, instrumentType: null, tickSize: null, lotSize: null, expiry: null, strike: null,
});

describe.skipIf(!SF.exists)(`Fyers data-socket messages → Tick${SF.skipNote}`, () => {
  const known = new Map([
    ['NSE:SBIN', instrument(779521, 'NSE', 'SBIN')],
    ['NSE:NIFTY 50', instrument(256265, 'NSE', 'NIFTY 50')],
  ]);
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FyersMessage;

  it('maps a symbol update with its exchange feed time in UTC', () => {
    const result = new FyersTickMapper((s) => known.get(s)).map(read(SF.path), 1);
    expect('tick' in result && result.tick).toMatchObject({
      instrumentToken: 779521,
      tradingsymbol: 'SBIN',
      exchangeTime: 1690953622000, // 2023-08-02 05:20:22 UTC = 10:50:22 IST
      ltp: 606.4,
      volume: 3045212,
      lastQuantity: 5,
      averagePrice: 608.2,
      bidPrice: 606.4,
      askPrice: 606.45,
      prevClose: 620.2,
      feed: 'fyers',
    });
  });

  it('maps an index update whose numbers come as strings', () => {
    const result = new FyersTickMapper((s) => known.get(s)).map(read(IF.path), 1);
    expect('tick' in result && result.tick).toMatchObject({ instrumentToken: 256265, ltp: 26188.1, volume: 0, prevClose: 26216.05, exchangeTime: 1727428424000 });
  });

  it('keeps a depth update and attaches the book to the next symbol tick', () => {
    const mapper = new FyersTickMapper((s) => known.get(s));
    expect(mapper.map(read(DP.path), 1)).toEqual({ depth: true });
    const result = mapper.map(read(SF.path), 1);
    const tick = 'tick' in result ? result.tick : null;
    expect(tick?.depth?.buy).toHaveLength(5);
    expect(tick?.depth?.sell[4]).toEqual({ price: 606.5, quantity: 2981, orders: 17 });
    expect(tick).toMatchObject({ bidPrice: 606.25, bidQuantity: 20, askPrice: 606.3 });
  });

  it('skips unknown symbols and message types', () => {
    const mapper = new FyersTickMapper(() => undefined);
    expect(mapper.map(read(SF.path), 1)).toEqual({ skipped: 'unknown symbol "NSE:SBIN-EQ"' });
  });
});
