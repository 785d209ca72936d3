/**
 * Candle reads from memory (issue 12 point 3): the worker's CandleCache (worker/pipeline/
 * candle-cache.ts) merged with the database at its coverage boundary
 * (lib/api/candles/candle-reader.ts) equals what the database gives once everything is written,
 * on 1m, 5m and 15m; identical concurrent reads share one database query.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import type { WorkerPorts } from '@/lib/gateway';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import { coalescedGetCandles, readCandles, readerStats } from '@/lib/api/candles/candle-reader';
import type { Database } from '@/lib/db/client';
import { getCandles } from '@/lib/db/queries/candles';
import type { Tick } from '@/lib/market/tick';
import { CandleCache, DEFAULT_CANDLE_CACHE_CAPACITY } from '@/worker/pipeline/candle-cache';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const START = Date.parse('2026-01-05T09:15:00+05:30'); // a Monday session
const FROM = new Date(START - 3_600_000);
const TO = new Date(START + 8 * 3_600_000);

/** Two instruments, a tick every 7 s for 47 minutes, cumulative volume growing. */
function ticks(): Tick[] {
  const out: Tick[] = [];
  let seed = 3;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const state = [{ ltp: 100, volume: 0 }, { ltp: 2500, volume: 0 }];
  for (let t = START + 2_000; t < START + 47 * 60_000; t += 7_000) {
    state.forEach((s, i) => {
      s.ltp = Math.round(s.ltp * (1 + (random() - 0.5) * 0.004) * 20) / 20;
      s.volume += 1 + Math.floor(random() * 300);
      out.push(makeTick({ instrumentToken: 7_100 + i, tradingsymbol: `MEM${i}`, exchange: 'NSE', exchangeTime: t + i, ltp: s.ltp, volume: s.volume }));
    });
  }
  return out;
}

describeEachBackend('candle reads: memory + database', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let tmp: string;
  let pipeline: TickPipeline;
  /** A cache of 20 1m candles: its coverage moves past evicted ones, so 1m reads need the database too. */
  const small = new CandleCache(null, { ...DEFAULT_CANDLE_CACHE_CAPACITY, '1m': 20 });
  const before: Record<string, Awaited<ReturnType<typeof readCandles>>> = {};
  beforeAll(async () => {
    db = database.db;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candle-reader-'));
    const all = ticks();
    let clock = all[0].exchangeTime;
    pipeline = new TickPipeline({ db, flushSize: 200, flushIntervalMs: 100, maxBufferTicks: 50_000, journalDir: tmp, candleGraceMs: 0, clock: () => clock, onClosedCandle: (c) => small.add(c) });
    await pipeline.start();
    for (let i = 0; i < all.length; i += 50) {
      const batch = all.slice(i, i + 50);
      clock = batch[batch.length - 1].exchangeTime;
      await pipeline.accept(batch);
    }
    await pipeline.settle();
    // While live: memory holds the recent part (not necessarily written yet) and the open candles.
    for (const timeframe of ['1m', '5m', '15m'] as const) {
      before[timeframe] = await readCandles(db, { instrumentToken: 7_100, timeframe, from: FROM, to: TO }, async (r) =>
        pipeline.recent.read(r.instrumentToken, r.timeframe, r.from.getTime(), r.to.getTime()),
      );
    }
    pipeline.aggregator.closeAll();
    expect(await pipeline.stop()).toBe(true);
  });
  afterAll(() => {
    clearWebRuntime();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('GET /api/candles: memory-backed body, weak ETag, 304 on If-None-Match, Cache-Control by range', async () => {
    const ports = { recentCandles: (q) => pipeline.recent.read(q.instrumentToken, q.timeframe, q.from, q.to) } as Partial<WorkerPorts> as WorkerPorts;
    registerWebRuntime({ db, worker: { kind: 'in-process', ports }, realtime: 'same-origin' });
    const url = `http://localhost/api/candles?symbol=NSE:MEM0&timeframe=1m&from=${FROM.toISOString()}&to=${TO.toISOString()}`;
    const first = await candlesRoute(new Request(url));
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=60'); // 2026-01-05 is in the past
    const body = (await first.json()) as { candles: { time: string }[] };
    expect(body.candles.map((c) => c.time)).toEqual((await getCandles(db, { instrumentToken: 7_100, timeframe: '1m', from: FROM, to: TO })).map((c) => c.bucket.toISOString()));
    const again = await candlesRoute(new Request(url, { headers: { 'if-none-match': `"other", ${etag}` } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const changed = await candlesRoute(new Request(url, { headers: { 'if-none-match': 'W/"stale"' } }));
    expect(changed.status).toBe(200);
    const open = await candlesRoute(new Request(`http://localhost/api/candles?symbol=NSE:MEM0&timeframe=1m&from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`));
    expect(open.headers.get('cache-control')).toBe('no-cache');
  });

  it('a 1m ring that evicted candles is completed from the database at its boundary', async () => {
    const range = { instrumentToken: 7_100, timeframe: '1m' as const, from: FROM, to: TO };
    const merged = await readCandles(db, range, async (r) => small.read(r.instrumentToken, r.timeframe, r.from.getTime(), r.to.getTime()));
    const stored = await getCandles(db, range);
    expect(merged.fromMemory).toBe(20);
    expect(stored.length).toBeGreaterThan(40);
    expect(merged.candles).toEqual(stored);
  });

  it('merged memory + database equals the database once written', async () => {
    for (const timeframe of ['1m', '5m', '15m'] as const) {
      const range = { instrumentToken: 7_100, timeframe, from: FROM, to: TO };
      const merged = await readCandles(db, range, async (r) => pipeline.recent.read(r.instrumentToken, r.timeframe, r.from.getTime(), r.to.getTime()));
      const stored = await getCandles(db, range);
      const coverage = pipeline.recent.read(7_100, timeframe, FROM.getTime(), TO.getTime()).coveredFrom!;
      // Both sources contributed: the database before the coverage start, memory after it.
      // 1m: memory holds every candle of this run; 5m…: the database answers up to the first one closed here.
      if (timeframe === '1m') expect(coverage).toBe(stored[0].bucket.getTime());
      else expect(coverage).toBeGreaterThan(stored[0].bucket.getTime());
      expect(merged.fromMemory).toBeGreaterThan(0);
      expect(merged.candles).toEqual(stored);
      // While live (1m), every closed candle read then is what was stored; only the open one was newer.
      if (timeframe !== '1m') continue;
      const live = before[timeframe].candles;
      expect(live.slice(0, -1)).toEqual(stored.slice(0, live.length - 1));
      expect(live.at(-1)!.bucket).toEqual(stored[live.length - 1].bucket);
    }
  });

  it('identical concurrent reads share one database query', async () => {
    const range = { instrumentToken: 7_101, timeframe: '1m' as const, from: FROM, to: TO };
    const reads = readerStats.dbReads;
    const results = await Promise.all(Array.from({ length: 20 }, () => coalescedGetCandles(db, range)));
    expect(readerStats.dbReads - reads).toBe(1);
    expect(results.every((r) => r === results[0])).toBe(true);
    expect(results[0].length).toBeGreaterThan(40);
    // Once settled, a new read runs again (no stale cache).
    await coalescedGetCandles(db, range);
    expect(readerStats.dbReads - reads).toBe(2);
  });
});
