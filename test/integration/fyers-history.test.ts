/**
 * Fyers history through the real fyers-api-v3 client against a local HTTP server answering
 * with the documented shape (fyers-v3-fixtures/rest/data/history): request parameters, the
 * Authorization header, 100-day chunks, 429 retry, and candles filtered to [from, to).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import { FyersHistoricalSource } from '@/worker/sources/fyers/history';

const SBIN: Instrument = {
  instrumentToken: 779521, exchange: 'NSE', tradingsymbol: 'SBIN', name: null, segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null,
};
const requests: { url: URL; auth: string | undefined }[] = [];
let rateLimitNext = 0;
let server: http.Server;
let root = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ url, auth: req.headers.authorization });
    if (rateLimitNext > 0) {
      rateLimitNext -= 1;
      res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ s: 'error', code: 429, message: 'request limit reached' }));
      return;
    }
    const from = Number(url.searchParams.get('range_from'));
    const to = Number(url.searchParams.get('range_to'));
    // One candle at the start of each day in the range, plus one just outside it.
    const candles: number[][] = [];
    for (let t = from; t <= to; t += 86_400) candles.push([t, 600, 610, 595, 605, 1000]);
    candles.push([to + 60, 1, 1, 1, 1, 1]);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ s: 'ok', candles }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Fyers history (fyers-api-v3 getHistory)', () => {
  it('requests NSE:SBIN-EQ minute candles in 100-day chunks with APPID:token, retrying 429', async () => {
    const source = new FyersHistoricalSource({ appId: 'APP-100', accessToken: 'tok', root });
    rateLimitNext = 1;
    const from = new Date('2025-01-01T03:45:00Z');
    const to = new Date(from.getTime() + 150 * 86_400_000);
    const candles = await source.fetchMinuteCandles(SBIN, from, to);
    const ok = requests.filter((r) => r.url.pathname === '/data/history');
    expect(ok).toHaveLength(3); // one 429 + two chunks
    expect(ok[0].auth).toBe('APP-100:tok');
    expect(Object.fromEntries(ok[1].url.searchParams)).toMatchObject({ symbol: 'NSE:SBIN-EQ', resolution: '1', date_format: '0', cont_flag: '1' });
    expect(Number(ok[1].url.searchParams.get('range_from'))).toBe(from.getTime() / 1000);
    expect(Number(ok[2].url.searchParams.get('range_from'))).toBe(from.getTime() / 1000 + 100 * 86_400);
    expect(candles).toHaveLength(150);
    expect(candles[0]).toEqual({ instrumentToken: 779521, bucket: from.getTime(), open: 600, high: 610, low: 595, close: 605, volume: 1000, oi: null });
    expect(candles.every((c) => c.bucket >= from.getTime() && c.bucket < to.getTime())).toBe(true);
  });
});
