/**
 * Intraday endpoints (seed 000) through the real route handlers, on a replayed Kite full-mode
 * capture (NIFTY25DECFUT, 2025-12-29 12:47–12:52 IST: cumulative volume, average traded price,
 * 5-level depth).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as latestRoute } from '@/app/api/intraday/latest/route';
import { GET as orderbookRoute } from '@/app/api/intraday/orderbook/route';
import { GET as statsRoute } from '@/app/api/intraday/stats/route';
import { GET as ticksRoute } from '@/app/api/intraday/ticks/route';
import { GET as todayRoute } from '@/app/api/intraday/today/route';
import { GET as vwapRoute } from '@/app/api/intraday/vwap/route';
import type { Database } from '@/lib/db/client';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const KITE = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';
const SYMBOL = encodeURIComponent('NFO:NIFTY25DECFUT');
const call = async (handler: (r: Request) => Promise<Response>, query: string) => {
  const response = await handler(new Request(`http://localhost/api/x?${query}`));
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describeEachBackend(`intraday endpoints${needsSharedData(KITE)}`, (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let tmp: string;
  let rows: string[][];
  beforeAll(async () => {
    db = database.db;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intraday-'));
    const feed = createReplayFeed({ file: sharedData(KITE), speed: 'max' });
    const pipeline = new TickPipeline({ db, flushSize: 1000, flushIntervalMs: 200, maxBufferTicks: 50_000, journalDir: tmp, candleGraceMs: 0, clock: () => feed.now() });
    pipeline.start();
    for await (const batch of feed.ticks(new AbortController().signal)) await pipeline.accept(batch);
    pipeline.aggregator.closeAll();
    expect(await pipeline.stop()).toBe(true);
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' }); // no worker
    rows = fs.readFileSync(sharedData(KITE), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  });
  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('latest candle, the session’s candles and day statistics', async () => {
    const latest = await call(latestRoute, `symbol=${SYMBOL}`);
    expect(latest.body.candle.time).toBe('2025-12-29T07:21:00.000Z');
    expect(latest.body.candle.close).toBe(Number(rows.at(-1)![3]));
    const today = await call(todayRoute, `symbol=${SYMBOL}&timeframe=1m`);
    expect(today.body.date).toBe('2025-12-29');
    expect(today.body.candles.map((c: { time: string }) => c.time.slice(11, 16))).toEqual(['07:17', '07:18', '07:19', '07:20', '07:21']);
    const stats = await call(statsRoute, `symbol=${SYMBOL}&date=2025-12-29`);
    const ltps = rows.map((r) => Number(r[3]));
    expect(stats.body.stats).toMatchObject({ date: '2025-12-29', open: ltps[0], high: Math.max(...ltps), low: Math.min(...ltps), close: ltps.at(-1), previousClose: null });
    expect(stats.body.stats.volume).toBe(Number(rows.at(-1)![4]) - Number(rows[0][4]));
  });

  it('VWAP from cumulative volume and the exchange’s average traded price', async () => {
    const { body } = await call(vwapRoute, `symbol=${SYMBOL}`);
    expect(body.vwap.exchangeAveragePrice).toBe(Number(rows.at(-1)![7]));
    let pv = 0;
    let v = 0;
    for (let i = 1; i < rows.length; i++) {
      const dv = Number(rows[i][4]) - Number(rows[i - 1][4]);
      if (dv > 0) {
        pv += dv * Number(rows[i][3]);
        v += dv;
      }
    }
    expect(body.vwap.vwapFromTicks).toBeCloseTo(pv / v, 2);
  });

  it('raw ticks are paged without overlap or loss', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `symbol=${SYMBOL}&from=2025-12-29T07:00:00Z&to=2025-12-29T08:00:00Z&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const { body } = await call(ticksRoute, q);
      for (const t of body.ticks) seen.push(`${t.time}|${t.ltp}|${t.volume}`);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(rows.length);
    expect(seen[0]).toBe(`2025-12-29T07:17:00.000Z|${Number(rows[0][3])}|${Number(rows[0][4])}`);
    expect((await call(ticksRoute, `symbol=${SYMBOL}&limit=0`)).body.error.message).toMatch(/^query.limit: /);
  });

  it('latest order book snapshot: 5 levels each side', async () => {
    const { body } = await call(orderbookRoute, `symbol=${SYMBOL}`);
    const last = rows.at(-1)!;
    expect(body.orderBook.bids).toHaveLength(5);
    expect(body.orderBook.bids[0]).toEqual({ price: Number(last[22]), quantity: Number(last[27]), orders: Number(last[32]) });
    expect(body.orderBook.asks[0].price).toBe(Number(last[37]));
  });
}, { skip: !hasSharedData(KITE) });
