/**
 * Fyers history through the real fyers-api-v3 client against a local HTTP server answering
 * with the documented shape (fyers-v3-fixtures/rest/data/history): request parameters, the
 * Authorization header, 100-day chunks (366 for day candles), 429 retry, candles filtered to
 * [from, to); the shared fixture's answer; HISTORY_SOURCE=fyers settings.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import { FyersHistoricalSource } from '@/worker/sources/fyers/history';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';

const FIXTURE = 'fyers-v3-fixtures/rest/data/history/response_success.json';
/** When set, the server answers every history request with this body (the shared fixture). */
let fixtureAnswer: string | null = null;

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
    if (fixtureAnswer) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(fixtureAnswer);
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

describe('HISTORY_SOURCE=fyers', () => {
  it('builds the Fyers source from FYERS_* settings; missing or malformed ones name the variable', async () => {
    const { parseHistoryEnv: parse } = await import('@/lib/config/history-env');
    const parseHistoryEnv = (vars: Record<string, string>) => parse(vars as NodeJS.ProcessEnv);
    const { createHistorySource } = await import('@/worker/backfill/source');
    const env = parseHistoryEnv({ HISTORY_SOURCE: 'fyers', FYERS_APP_ID: 'ABCD1234-100', FYERS_ACCESS_TOKEN: 'tok', FYERS_DATA_ROOT: root });
    const source = createHistorySource(env)!;
    expect(source.name).toBe('fyers');
    expect(source.limits).toEqual({ maxMinuteSpanDays: 100, requestsPerSecond: 3 });
    expect(() => parseHistoryEnv({ HISTORY_SOURCE: 'fyers', FYERS_APP_ID: 'ABCD1234-100' })).toThrow('FYERS_ACCESS_TOKEN is required when HISTORY_SOURCE=fyers');
    expect(() => parseHistoryEnv({ HISTORY_SOURCE: 'fyers', FYERS_APP_ID: 'abcd', FYERS_ACCESS_TOKEN: 't' })).toThrow(/FYERS_APP_ID must be a Fyers App ID like XXXXXX-100/);
  });

  it('day candles: resolution D in ≤ 366-day chunks, bucket 00:00 IST of the stamp’s IST date', async () => {
    const source = new FyersHistoricalSource({ appId: 'APP-100', accessToken: 'tok', root });
    requests.length = 0;
    const from = new Date('2024-12-31T18:30:00Z'); // 2025-01-01 00:00 IST
    const to = new Date(from.getTime() + 400 * 86_400_000);
    const candles = await source.fetchDailyCandles(SBIN, from, to);
    const asked = requests.filter((r) => r.url.pathname === '/data/history');
    expect(asked.map((r) => r.url.searchParams.get('resolution'))).toEqual(['D', 'D']);
    expect(Number(asked[1].url.searchParams.get('range_from'))).toBe(from.getTime() / 1000 + 366 * 86_400);
    expect(candles).toHaveLength(400);
    expect(candles.every((c) => (c.bucket + 19_800_000) % 86_400_000 === 0)).toBe(true);
  });
});

describe.skipIf(!hasSharedData(FIXTURE))(`Fyers history fixture (fyers-v3-fixtures)${needsSharedData(FIXTURE)}`, () => {
  it('the documented answer shape maps to a candle in rupees with epoch-second buckets', async () => {
    const body = readFileSync(sharedData(FIXTURE), 'utf8');
    fixtureAnswer = body;
    try {
      const source = new FyersHistoricalSource({ appId: 'APP-100', accessToken: 'tok', root });
      const [t, open, high, low, close, volume] = (JSON.parse(body) as { candles: number[][] }).candles[0];
      const candles = await source.fetchMinuteCandles(SBIN, new Date(t * 1000), new Date(t * 1000 + 60_000));
      expect(candles).toEqual([{ instrumentToken: 779521, bucket: t * 1000, open, high, low, close, volume, oi: null }]);
    } finally {
      fixtureAnswer = null;
    }
  });
});
