/**
 * GET /api/candles caches (issue 12 point 3; lib/api/candles/candle-response.ts): a read the
 * worker's memory covers runs the database once per generation, not per request; the open
 * candle is read fresh every time; a candle stored below the memory coverage shows as soon as
 * the worker reports it (CandleCache.written → new generation); the gap report joins stored
 * minutes before the coverage with the memory's minutes after it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import { GET as healthRoute } from '@/app/api/health/route';
import { clearResponseCaches, responseStats } from '@/lib/api/candles/response-cache';
import type { Database } from '@/lib/db/client';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { WorkerPorts } from '@/lib/gateway';
import type { Candle } from '@/lib/market/tick';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import { hostRequestListener } from '@/worker/host-listener';
import { CandleCache } from '@/worker/pipeline/candle-cache';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const TOKEN = 7_300_001;
const T0 = Date.parse('2026-01-05T09:15:00+05:30'); // a Monday session, in the past
const MIN = 60_000;
const candle = (i: number, close = 100 + i): Candle => ({
  instrumentToken: TOKEN, symbol: 'NSE:CACHED', timeframe: '1m', closed: true, bucket: T0 + i * MIN, open: 100, high: 200, low: 50, close, volume: 10 + i, oi: null,
});
const URL_1M = `http://localhost/api/candles?symbol=NSE:CACHED&timeframe=1m&from=${new Date(T0).toISOString()}&to=${new Date(T0 + 30 * MIN).toISOString()}`;

interface Body {
  candles: { time: string; close: number }[];
  gaps: { status: string; missing: { from: string; to: string; minutes: number }[] };
}

async function read(): Promise<{ body: Body; etag: string }> {
  const response = await candlesRoute(new Request(URL_1M));
  expect(response.status).toBe(200);
  return { body: (await response.json()) as Body, etag: response.headers.get('etag')! };
}

describeEachBackend('/api/candles response caches', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let open: Candle;
  let cache: CandleCache;

  beforeAll(async () => {
    db = database.db;
    clearResponseCaches();
    await upsertInstruments(db, [
      { instrumentToken: TOKEN, exchange: 'NSE', tradingsymbol: 'CACHED', name: null, segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null },
    ]);
    // Stored: minutes 0…9 except 3 (a hole). Memory: closed 10…19 except 15, open candle 20.
    await upsertOneMinuteCandles(db, [0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => ({ ...candle(i), partial: false })));
    open = candle(20);
    cache = new CandleCache({ current: (token, timeframe) => (token === TOKEN && timeframe === '1m' ? open : undefined) });
    for (const i of [10, 11, 12, 13, 14, 16, 17, 18, 19]) cache.add(candle(i));
    const ports = { recentCandles: (q) => cache.read(q.instrumentToken, q.timeframe, q.from, q.to) } as Partial<WorkerPorts> as WorkerPorts;
    registerWebRuntime({ db, worker: { kind: 'in-process', ports }, realtime: 'same-origin' });
  });
  afterAll(() => clearWebRuntime());


  it('queries the database once per generation, reads the open candle fresh, and reports gaps across the boundary', async () => {
    const loads = { ...responseStats };
    const first = await read();
    expect(first.body.candles.map((c) => (Date.parse(c.time) - T0) / MIN)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20]);
    expect(first.body.gaps).toEqual({
      status: 'checked',
      missing: [
        { from: new Date(T0 + 3 * MIN).toISOString(), to: new Date(T0 + 4 * MIN).toISOString(), minutes: 1 },
        { from: new Date(T0 + 15 * MIN).toISOString(), to: new Date(T0 + 16 * MIN).toISOString(), minutes: 1 },
        { from: new Date(T0 + 21 * MIN).toISOString(), to: new Date(T0 + 30 * MIN).toISOString(), minutes: 9 },
      ],
    });
    expect(responseStats.storedLoads - loads.storedLoads).toBe(1);
    expect(responseStats.minuteLoads - loads.minuteLoads).toBe(1);

    // Again, 20 times at once: no database work, the same body.
    const again = await Promise.all(Array.from({ length: 20 }, () => read()));
    expect(new Set(again.map((r) => r.etag))).toEqual(new Set([first.etag]));
    expect(responseStats.storedLoads - loads.storedLoads).toBe(1);
    expect(responseStats.minuteLoads - loads.minuteLoads).toBe(1);
    expect(responseStats.bodiesBuilt - loads.bodiesBuilt).toBe(1);

    // The open candle moves: the next read has it, still without the database.
    open = candle(20, 555.5);
    const moved = await read();
    expect(moved.body.candles.at(-1)!.close).toBe(555.5);
    expect(moved.etag).not.toBe(first.etag);
    expect(responseStats.storedLoads - loads.storedLoads).toBe(1);
  });

  it('shows a candle stored below the memory coverage once the worker reports it written', async () => {
    await upsertOneMinuteCandles(db, [{ ...candle(5, 777), partial: false }]);
    // Not reported yet: the cached stored rows stand (at most CANDLE_STORED_TTL_MS).
    expect((await read()).body.candles.find((c) => Date.parse(c.time) === T0 + 5 * MIN)!.close).toBe(105);
    cache.written([{ instrumentToken: TOKEN, bucket: T0 + 5 * MIN }]); // what the pipeline does after the candle writer's flush
    expect((await read()).body.candles.find((c) => Date.parse(c.time) === T0 + 5 * MIN)!.close).toBe(777);
    // An invalidation (gap repair) restarts the memory: the database answers up to the open candle.
    await upsertOneMinuteCandles(db, [{ ...candle(15, 1515), partial: false }]);
    cache.invalidate(TOKEN);
    const repaired = await read();
    expect(repaired.body.candles.find((c) => Date.parse(c.time) === T0 + 15 * MIN)!.close).toBe(1515);
    expect(repaired.body.candles.at(-1)!.close).toBe(555.5);
  });

  it("the host's listener answers GET /api/candles and GET /api/health itself, the same as the routes, and hands the rest to Next", async () => {
    // worker/host-listener.ts: the fast path before Next.js in `npm start`.
    const fallback: string[] = [];
    const server = http.createServer(hostRequestListener((req, res) => (fallback.push(`${req.method} ${req.url}`), res.writeHead(418).end())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const path = new URL(URL_1M).pathname + new URL(URL_1M).search;
      const fast = await fetch(origin + path);
      expect(fast.status).toBe(200);
      const viaRoute = await candlesRoute(new Request(URL_1M));
      expect(await fast.json()).toEqual(await viaRoute.json());
      expect(fast.headers.get('etag')).toBe(viaRoute.headers.get('etag'));
      const bad = await fetch(`${origin}/api/candles?timeframe=1m`);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('query.symbol');
      // The health probe: the same handler as app/api/health/route.ts (this runtime has no worker
      // health port, so both say "degraded" with the database's own check).
      const health = await fetch(`${origin}/api/health`);
      const healthViaRoute = await healthRoute(new Request('http://localhost/api/health'));
      expect(health.status).toBe(healthViaRoute.status);
      const healthBody = (await health.json()) as { status: string; database: { ok: boolean; mode: string }; market: { segment: string } };
      const routeBody = (await healthViaRoute.json()) as typeof healthBody;
      expect(Object.keys(healthBody).sort()).toEqual(Object.keys(routeBody).sort());
      expect([healthBody.status, healthBody.database.ok, healthBody.database.mode]).toEqual([routeBody.status, true, db.kind]);
      expect(fallback).toEqual([]);
      expect((await fetch(`${origin}/api/candles/x`)).status).toBe(418);
      expect((await fetch(origin + path, { method: 'HEAD' })).status).toBe(418);
      expect((await fetch(`${origin}/chart/NSE%3ACACHED`)).status).toBe(418);
      expect(fallback).toEqual(['GET /api/candles/x', `HEAD ${path}`, 'GET /chart/NSE%3ACACHED']);
    } finally {
      server.close();
    }
  });
});
