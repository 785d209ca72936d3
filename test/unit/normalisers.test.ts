import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Tick } from '@/lib/market/tick';
import { breezeToken, normaliseBreezeCsv } from '@/worker/sources/formats/breeze-csv';
import { detectFormat, getFormat, FORMAT_IDS, type CsvRecord, type NormaliseResult } from '@/worker/sources/formats';
import { exchangeOfKiteToken, normaliseKiteCsv } from '@/worker/sources/formats/kite-csv';
import {
  formatMarketdeskCsvRow,
  MARKETDESK_COLUMNS,
  MARKETDESK_HEADER,
  normaliseMarketdesk,
} from '@/worker/sources/formats/marketdesk';
import { NSE_INDEX_COLUMNS, normaliseNseIndexCsv } from '@/worker/sources/formats/nse-index-csv';
import { BREEZE_TOKEN_BASE, SYNTHETIC_TOKEN_SPAN } from '@/worker/sources/formats/synthetic-token';
import { sharedFile } from '../support/shared-data';

const KITE = sharedFile('easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv');
const BREEZE = sharedFile('breeze-nfo-ticks/all_ticks_FUTURES.csv');
const NSE_1128 = sharedFile('nse-nifty-1s-vs-1m/anshkumar_2022-11-28.csv');

function readRecords(file: string, columns: readonly string[] | true = true): CsvRecord[] {
  return parse(readFileSync(file), {
    columns: columns === true ? true : [...columns],
    relax_column_count: true,
    bom: true,
    skip_empty_lines: true,
  }) as CsvRecord[];
}

function tickOf(result: NormaliseResult): Tick {
  if (result.error !== undefined) throw new Error(`expected a tick, got error: ${result.error}`);
  return result.tick;
}

function firstLine(file: string): string {
  return readFileSync(file, 'utf8').split('\n')[0];
}

describe('kite-csv normaliser', () => {
  it('maps Kite segment codes to exchanges', () => {
    expect(exchangeOfKiteToken(12683010)).toBe('NFO');
    expect(exchangeOfKiteToken(738561)).toBe('NSE');
    expect(exchangeOfKiteToken(256265)).toBe('NSE'); // indices segment 9
    expect(exchangeOfKiteToken(8 + 256)).toBeNull(); // MCX-SX
  });

  it('rejects bad records with a reason instead of throwing', () => {
    const good = {
      time: '2025-12-29 07:17:00+00:00',
      instrument_token: '12683010',
      trading_symbol: 'NIFTY25DECFUT',
      last_price: '25978.50',
      volume_traded: '3332925',
    };
    expect(tickOf(normaliseKiteCsv(good)).ltp).toBe(25978.5);
    expect(normaliseKiteCsv({ ...good, last_price: 'abc' }).error).toMatch(/last_price/);
    expect(normaliseKiteCsv({ ...good, time: '' }).error).toMatch(/time/);
    expect(normaliseKiteCsv({ ...good, time: '2025-12-29 07:17:00' }).error).toMatch(/offset/);
    expect(normaliseKiteCsv({ ...good, instrument_token: '264' }).error).toMatch(/segment 8/);
    expect(normaliseKiteCsv({ time: good.time }).error).toMatch(/missing column/);
  });

  describe.skipIf(!KITE.exists)(`on the real KiteTicker sample${KITE.skipNote}`, () => {
    it('normalises the first row exactly', () => {
      const records = readRecords(KITE.path);
      const tick = tickOf(normaliseKiteCsv(records[0]));
      expect(tick).toMatchObject({
        instrumentToken: 12683010,
        exchange: 'NFO',
        tradingsymbol: 'NIFTY25DECFUT',
        exchangeTime: Date.parse('2025-12-29T07:17:00Z'),
        ltp: 25978.5,
        lastQuantity: 75,
        volume: 3332925,
        averagePrice: 26024.12,
        oi: 11148150,
        bidPrice: 25975.6,
        bidQuantity: 75,
        askPrice: 25978.5,
        askQuantity: 75,
        prevClose: 26060.2,
        feed: 'replay',
      });
      expect(tick.depth?.buy).toHaveLength(5);
      expect(tick.depth?.sell[4]).toEqual({ price: 25981, quantity: 75, orders: 1 });
    });

    it('normalises all 271 rows without errors', () => {
      const results = readRecords(KITE.path).map(normaliseKiteCsv);
      expect(results).toHaveLength(271);
      expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    });
  });
});

describe('breeze-csv normaliser', () => {
  it('synthesises a stable token above the uint32 range', () => {
    const token = breezeToken('RELIND-FUT');
    expect(token).toBe(breezeToken('RELIND-FUT'));
    expect(token).toBeGreaterThanOrEqual(BREEZE_TOKEN_BASE);
    expect(token).toBeLessThan(BREEZE_TOKEN_BASE + SYNTHETIC_TOKEN_SPAN);
    expect(breezeToken('TCS-FUT')).not.toBe(token);
  });

  it('rejects the malformed one-field record and non-numeric prices', () => {
    expect(normaliseBreezeCsv({ Symbol: '5' }).error).toMatch(/missing column 'exchange_timestamp'/);
    const ok = { Symbol: 'TCS', exchange_timestamp: '2025-11-17 12:08:16.586347', last_price: '3110.5', volume_traded: '701400' };
    expect(tickOf(normaliseBreezeCsv(ok)).exchangeTime).toBe(Date.parse('2025-11-17T06:38:16.586Z'));
    expect(normaliseBreezeCsv({ ...ok, last_price: '3110.5x' }).error).toMatch(/not a number/);
    expect(normaliseBreezeCsv({ ...ok, exchange_timestamp: '17/11/2025 12:08' }).error).toMatch(/IST/);
  });

  it('reads a correctly labelled book as is', () => {
    const row = {
      Symbol: 'TCS',
      exchange_timestamp: '2025-11-17 12:08:16.586347',
      last_price: '3110.5',
      volume_traded: '701400',
      bid_price_1: '3110.0',
      bid_qty_1: '175',
      bid_price_2: '3109.5',
      bid_qty_2: '350',
      ask_price_1: '3110.5',
      ask_qty_1: '525',
      ask_price_2: '0.0',
      ask_qty_2: '0',
    };
    const tick = tickOf(normaliseBreezeCsv(row));
    expect([tick.bidPrice, tick.bidQuantity, tick.askPrice, tick.askQuantity]).toEqual([3110, 175, 3110.5, 525]);
    expect(tick.depth?.buy.map((l) => l.price)).toEqual([3110, 3109.5]);
    expect(tick.depth?.sell).toHaveLength(1);
  });

  describe.skipIf(!BREEZE.exists)(`on the real Breeze sample${BREEZE.skipNote}`, () => {
    it('gives exactly 5535 ticks and 1 skipped record (the row "5")', () => {
      const results = readRecords(BREEZE.path).map(normaliseBreezeCsv);
      const errors = results.filter((r) => r.error !== undefined);
      expect(results.length - errors.length).toBe(5535);
      expect(errors).toHaveLength(1);
      expect(results[182].error).toMatch(/missing column/); // file line 184 = record index 182
    });

    it('normalises the first RELIND tick (best offer recovered from the mislabelled book)', () => {
      const ticks = readRecords(BREEZE.path).map(normaliseBreezeCsv).filter((r) => r.tick).map((r) => r.tick as Tick);
      const first = ticks.find((t) => t.tradingsymbol === 'RELIND-FUT');
      expect(first).toMatchObject({
        instrumentToken: breezeToken('RELIND-FUT'),
        exchange: 'NFO',
        exchangeTime: Date.parse('2025-11-17T06:37:57.652Z'),
        ltp: 1518.9,
        lastQuantity: 500,
        volume: 3363500,
        averagePrice: null,
        oi: 100700000,
        bidPrice: 1518.5,
        bidQuantity: 1500,
        askPrice: 1518.8,
        askQuantity: 2000,
      });
      expect(new Set(ticks.map((t) => t.tradingsymbol))).toEqual(new Set(['RELIND-FUT', 'TCS-FUT', 'TRENT-FUT', 'MCX-FUT']));
      // Every tick's bid is below its ask once the book is read correctly.
      expect(ticks.every((t) => t.bidPrice !== null && t.askPrice !== null && t.bidPrice < t.askPrice)).toBe(true);
    });
  });
});

describe('nse-index-csv normaliser', () => {
  it('rejects non-numeric values and bad times', () => {
    expect(tickOf(normaliseNseIndexCsv({ time: '2022-11-28 09:00:17', value: '18354.65' })).ltp).toBe(18354.65);
    expect(normaliseNseIndexCsv({ time: '2022-11-28 09:00:17', value: 'NaN' }).error).toMatch(/value/);
    expect(normaliseNseIndexCsv({ time: 'yesterday', value: '1' }).error).toMatch(/time/);
    expect(normaliseNseIndexCsv({ time: '2022-11-28 09:00:17' }).error).toMatch(/missing column 'value'/);
  });

  describe.skipIf(!NSE_1128.exists)(`on the real 2022-11-28 NIFTY file${NSE_1128.skipNote}`, () => {
    it('gives one NIFTY 50 tick per line, first at 09:00:17 IST, with the 10:11–10:27 gap', () => {
      const lines = readFileSync(NSE_1128.path, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const results = readRecords(NSE_1128.path, NSE_INDEX_COLUMNS).map(normaliseNseIndexCsv);
      const ticks = results.map(tickOf);
      expect(ticks).toHaveLength(lines.length);
      expect(ticks).toHaveLength(22581);
      expect(ticks[0]).toMatchObject({
        instrumentToken: 256265,
        exchange: 'NSE',
        tradingsymbol: 'NIFTY 50',
        exchangeTime: Date.parse('2022-11-28T03:30:17Z'),
        ltp: 18354.65,
        volume: 0,
        oi: null,
      });
      const gaps = ticks.slice(1).filter((t, i) => t.exchangeTime - ticks[i].exchangeTime > 10 * 60_000);
      expect(gaps.map((t) => new Date(t.exchangeTime).toISOString())).toEqual(['2022-11-28T04:57:48.000Z']);
    });
  });
});

describe('marketdesk format', () => {
  const tick: Tick = {
    instrumentToken: 256265,
    exchange: 'NSE',
    tradingsymbol: 'NIFTY 50',
    exchangeTime: Date.parse('2025-12-29T07:17:00Z'),
    ltp: 25942.1,
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

  it('formats a row in header order with ISO-8601 UTC ms times and empty nulls', () => {
    expect(MARKETDESK_HEADER.split(',')).toEqual([...MARKETDESK_COLUMNS]);
    expect(formatMarketdeskCsvRow(tick)).toBe('2025-12-29T07:17:00.000Z,256265,NSE,NIFTY 50,25942.1,0,0,,,,,,');
    expect(formatMarketdeskCsvRow({ ...tick, tradingsymbol: 'A,"B"' })).toContain(',"A,""B""",');
  });

  it('round-trips through the normaliser', () => {
    const full: Tick = { ...tick, instrumentToken: 12683010, exchange: 'NFO', tradingsymbol: 'NIFTY25DECFUT', lastQuantity: 75, volume: 3332925, averagePrice: 26024.12, oi: 11148150, bidPrice: 25975.6, bidQuantity: 75, askPrice: 25978.5, askQuantity: 75 };
    for (const t of [tick, full]) {
      const [header, row] = [MARKETDESK_HEADER, formatMarketdeskCsvRow(t)];
      const record = parse(`${header}\n${row}\n`, { columns: true })[0] as CsvRecord;
      expect(tickOf(normaliseMarketdesk(record))).toEqual(t);
    }
  });

  it('rejects bad records with a reason', () => {
    const record = parse(`${MARKETDESK_HEADER}\n${formatMarketdeskCsvRow(tick)}\n`, { columns: true })[0] as Record<string, string>;
    expect(normaliseMarketdesk({ ...record, ltp: 'x' }).error).toMatch(/ltp/);
    expect(normaliseMarketdesk({ ...record, ltp: '0' }).error).toMatch(/ltp/);
    expect(normaliseMarketdesk({ ...record, exchange_time: '2025-12-29 12:47:00' }).error).toMatch(/ISO-8601/);
    expect(normaliseMarketdesk({ ...record, exchange: 'NYSE' }).error).toMatch(/exchange/);
    expect(normaliseMarketdesk({ ...record, volume: '1.5' }).error).toMatch(/integer/);
  });
});

describe('format registry and detection', () => {
  it('detects formats from their first line', () => {
    expect(detectFormat(MARKETDESK_HEADER)).toBe('marketdesk');
    expect(detectFormat('2022-11-28 09:00:17,18354.65\r')).toBe('nse-index-csv');
    expect(detectFormat('date,open,high,low,close,volume')).toBeNull();
    expect(detectFormat('')).toBeNull();
  });

  it('throws listing the known formats for an unknown id', () => {
    expect(() => getFormat('fyers-csv')).toThrow(new RegExp(FORMAT_IDS.join(', ')));
  });

  it.skipIf(!KITE.exists || !BREEZE.exists || !NSE_1128.exists)(
    `detects each real sample's format${KITE.skipNote}${BREEZE.skipNote}${NSE_1128.skipNote}`,
    () => {
      expect(detectFormat(firstLine(KITE.path))).toBe('kite-csv');
      expect(detectFormat(firstLine(BREEZE.path))).toBe('breeze-csv');
      expect(detectFormat(firstLine(NSE_1128.path))).toBe('nse-index-csv');
    },
  );
});
