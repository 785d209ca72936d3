/**
 * The Kite historical client (real KiteConnect from npm kiteconnect) against the local Kite REST
 * server: Kite's JSON shape and +0530 timestamps, the 60-day span split, and 429 retries.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import { nseCalendar } from '@/lib/market/calendar';
import { KiteHistoricalSource } from '@/worker/sources/kite/historical';
import { startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';
import { hasSharedData, sharedData } from '../support/shared-data';

const MOCK = 'kite-mocks/historical_minute.json';
const ist = (text: string) => Date.parse(`${text}+05:30`);
const instrument = (token: number, exchange: Instrument['exchange'] = 'NSE'): Instrument => ({
  instrumentToken: token, exchange, tradingsymbol: `T${token}`, name: null, segment: null, instrumentType: 'EQ', tickSize: null, lotSize: null, expiry: null, strike: null,
});

describe('Kite historical client against the local Kite REST server', () => {
  let kite: KiteRestServer;
  beforeAll(async () => {
    kite = await startKiteRestServer();
  });
  afterAll(() => kite?.close());

  it.skipIf(!hasSharedData(MOCK))('parses Kite’s own historical_minute.json candles exactly (+0530 timestamps)', async () => {
    const mock = JSON.parse(readFileSync(sharedData(MOCK), 'utf8')) as { data: { candles: [string, number, number, number, number, number][] } };
    kite.candles.set(1, mock.data.candles.map(([t, o, h, l, c, v]) => ({ bucket: Date.parse(t.replace(/(\d{2})(\d{2})$/, '$1:$2')), open: o, high: h, low: l, close: c, volume: v })));
    const source = new KiteHistoricalSource({ apiKey: 'k', accessToken: 't', root: kite.url });
    const candles = await source.fetchMinuteCandles(instrument(1), new Date(ist('2017-12-15T09:15:00')), new Date(ist('2017-12-15T09:20:00')));
    expect(candles.map((c) => [new Date(c.bucket).toISOString(), c.open, c.high, c.low, c.close, c.volume])).toEqual([
      ['2017-12-15T03:45:00.000Z', 1704.5, 1705, 1699.25, 1702.8, 2499],
      ['2017-12-15T03:46:00.000Z', 1702, 1702, 1698.15, 1698.15, 1271],
      ['2017-12-15T03:47:00.000Z', 1698.15, 1700.25, 1698, 1699.25, 831],
      ['2017-12-15T03:48:00.000Z', 1700, 1700, 1698.3, 1699, 771],
      ['2017-12-15T03:49:00.000Z', 1699, 1700, 1698.1, 1699.8, 543],
    ]); // [from, to): the 09:20 candle is outside
  });

  it('splits a 150-day range into 60-day requests and returns every candle once', async () => {
    const minutes = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-05-31T00:00:00'));
    kite.candles.set(2, minutes.map((m) => ({ bucket: m, open: 1, high: 1, low: 1, close: 1, volume: 1 })));
    kite.resetCounts();
    const source = new KiteHistoricalSource({ apiKey: 'k', accessToken: 't', root: kite.url });
    const candles = await source.fetchMinuteCandles(instrument(2), new Date(ist('2025-01-01T00:00:00')), new Date(ist('2025-05-31T00:00:00')));
    expect(kite.requests.historicalByToken.get(2)).toBe(3);
    expect(candles.map((c) => c.bucket)).toEqual(minutes);
  });

  it('retries 429 Too many requests with backoff', async () => {
    kite.resetCounts();
    // Two clients, each pacing itself at 3/s: together they exceed the server's 3/s.
    const a = new KiteHistoricalSource({ apiKey: 'k', accessToken: 't', root: kite.url });
    const b = new KiteHistoricalSource({ apiKey: 'k', accessToken: 't', root: kite.url });
    const day = (d: number) => [new Date(ist(`2025-01-0${d}T09:15:00`)), new Date(ist(`2025-01-0${d}T15:30:00`))] as const;
    const results = await Promise.all([2, 3, 6, 7].flatMap((d) => [a.fetchMinuteCandles(instrument(2), ...day(d)), b.fetchMinuteCandles(instrument(2), ...day(d))]));
    expect(results.every((r) => r.length === 375)).toBe(true);
    expect(kite.requests.rateLimited).toBeGreaterThan(0);
    expect(a.retries + b.retries).toBe(kite.requests.rateLimited);
  });
});
