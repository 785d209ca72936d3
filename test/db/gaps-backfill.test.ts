/**
 * Gap ledger and backfill (issue 4) on the embedded TimescaleDB, through the real route
 * handlers: the 2022-11-28 NIFTY 50 session (a real 15-minute feed gap) replayed through the
 * pipeline; the gap found exactly, never outside the session or on a holiday; GET /api/candles
 * reporting it without calling the broker; the backfill filling it from a local Kite REST server
 * through the real KiteConnect client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import { GET as completenessRoute } from '@/app/api/completeness/route';
import { GET as gapsRoute } from '@/app/api/gaps/route';
import type { Database } from '@/lib/db/client';
import { findMinuteGaps } from '@/lib/db/queries/gaps';
import { nseCalendar } from '@/lib/market/calendar';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { backfillInstrument } from '@/worker/backfill/backfill';
import { KiteHistoricalSource } from '@/worker/sources/kite/historical';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { readVendorBars } from '../support/vendor-bars';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const GAP_DAY = 'nse-nifty-1s-vs-1m/anshkumar_2022-11-28.csv';
const VENDOR = 'nse-nifty-1s-vs-1m/aeron7_2022-11-28_NIFTY.txt';
const NIFTY = 256265;
const ist = (text: string) => Date.parse(`${text}+05:30`);
const call = async (handler: (r: Request) => Promise<Response>, query: string) => {
  const response = await handler(new Request(`http://localhost/api/x?${query}`));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { message: string } } };
};

describeEachBackend(`gap ledger and backfill${needsSharedData(GAP_DAY, VENDOR)}`, (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let kite: KiteRestServer;
  let tmp: string;

  beforeAll(async () => {
    db = database.db;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gaps-'));
    const feed = createReplayFeed({ file: sharedData(GAP_DAY), speed: 'max' });
    const pipeline = new TickPipeline({
      db, flushSize: 1000, flushIntervalMs: 200, maxBufferTicks: 50_000, journalDir: tmp, candleGraceMs: 0, clock: () => feed.now(),
    });
    await pipeline.registry.register(feed.instruments());
    pipeline.start();
    for await (const batch of feed.ticks(new AbortController().signal)) {
      const wait = pipeline.accept(batch);
      if (wait) await wait;
    }
    pipeline.aggregator.closeAll();
    expect(await pipeline.stop()).toBe(true);
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' }); // no worker in this test
    kite = await startKiteRestServer();
    kite.candles.set(NIFTY, readVendorBars(sharedData(VENDOR)));
  });
  afterAll(async () => {
    await kite?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds exactly the feed gap the data has (10:12–10:26 IST), nothing before 09:15 or after 15:30', async () => {
    const result = await findMinuteGaps(db, {
      instrumentToken: NIFTY, from: ist('2022-11-28T00:00:00'), to: ist('2022-11-29T00:00:00'), calendar: nseCalendar,
    });
    expect(result.expected).toBe(375);
    expect(result.gaps).toEqual([{ from: ist('2022-11-28T10:12:00'), to: ist('2022-11-28T10:27:00'), minutes: 15 }]);
    // Pre-open (09:00–09:08) and post-close prints form no candles (session rules, lib/market/sessions.ts):
    const outside = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM candles_1m WHERE instrument_token = $1 AND (bucket < $2::timestamptz OR bucket >= $3::timestamptz)`,
      [NIFTY, new Date(ist('2022-11-28T09:15:00')).toISOString(), new Date(ist('2022-11-28T15:30:00')).toISOString()],
    );
    expect(Number(outside[0].n)).toBe(0);
    // …and the 09:00–09:15 / after-15:30 minutes without candles are never gaps:
    const { body } = await call(gapsRoute, `symbol=${encodeURIComponent('NSE:NIFTY 50')}&from=2022-11-28T00:00:00%2B05:30&to=2022-11-29T00:00:00%2B05:30`);
    expect(body.gaps).toEqual([{ from: '2022-11-28T04:42:00.000Z', to: '2022-11-28T04:57:00.000Z', minutes: 15 }]);
    expect(body.expectedMinutes).toBe(375);
    expect(body.presentMinutes).toBe(360);
  });

  it('a holiday or weekend is never a gap, even when every trading day is expected', async () => {
    // 2022-11-05/06 weekend, 2022-11-08 Gurunanak Jayanti: nothing expected there.
    const result = await findMinuteGaps(db, {
      instrumentToken: NIFTY, from: ist('2022-11-05T00:00:00'), to: ist('2022-11-09T00:00:00'), calendar: nseCalendar, allDays: true,
    });
    expect(result.expected).toBe(375); // Monday 2022-11-07 only
    expect(result.gaps).toEqual([{ from: ist('2022-11-07T09:15:00'), to: ist('2022-11-07T15:30:00'), minutes: 375 }]);
    const { body } = await call(completenessRoute, `symbol=${encodeURIComponent('NSE:NIFTY 50')}&date=2022-11-08`);
    expect(body).toMatchObject({ tradingDay: false, closedReason: 'Gurunanak Jayanti' });
    expect((body.timeframes as { expected: number }[]).every((t) => t.expected === 0)).toBe(true);
  });

  it('the candle API names the gap without calling the broker; the backfill from the local Kite server fills it to 100%', async () => {
    const query = `symbol=${encodeURIComponent('NSE:NIFTY 50')}&timeframe=1m&from=2022-11-28T09:15:00%2B05:30&to=2022-11-28T15:30:00%2B05:30`;
    const before = await call(candlesRoute, query);
    expect(before.status).toBe(200);
    expect((before.body.candles as unknown[]).length).toBe(360);
    expect(before.body.gaps).toEqual({ status: 'checked', missing: [{ from: '2022-11-28T04:42:00.000Z', to: '2022-11-28T04:57:00.000Z', minutes: 15 }] });
    expect(kite.requests.total).toBe(0); // a read never calls the broker

    const completeness = await call(completenessRoute, `symbol=${encodeURIComponent('NSE:NIFTY 50')}&date=2022-11-28`);
    const oneMinute = (completeness.body.timeframes as { timeframe: string; ratio: number }[]).find((t) => t.timeframe === '1m')!;
    expect(oneMinute.ratio).toBeCloseTo(360 / 375, 4);

    const source = new KiteHistoricalSource({ apiKey: 'test', accessToken: 'test', root: kite.url });
    const instrument = { instrumentToken: NIFTY, exchange: 'NSE' as const, tradingsymbol: 'NIFTY 50', name: null, segment: null, instrumentType: null, tickSize: null, lotSize: null, expiry: null, strike: null };
    const range = { from: ist('2022-11-28T09:15:00'), to: ist('2022-11-28T15:30:00') };
    const filled = await backfillInstrument(db, source, instrument, range);
    expect(filled.backfilled).toEqual([{ from: ist('2022-11-28T10:12:00'), to: ist('2022-11-28T10:27:00'), minutes: 15 }]);
    expect(filled.stillMissing).toEqual([]);
    const after = await call(candlesRoute, query);
    expect(after.body.gaps).toEqual({ status: 'checked', missing: [] });
    const candles = after.body.candles as { time: string; close: number }[];
    expect(candles).toHaveLength(375);
    const vendor = new Map(readVendorBars(sharedData(VENDOR)).map((c) => [new Date(c.bucket).toISOString(), c.close]));
    expect(candles.find((c) => c.time === '2022-11-28T04:50:00.000Z')!.close).toBe(vendor.get('2022-11-28T04:50:00.000Z'));
    expect(kite.requests.historicalByToken.get(NIFTY)).toBe(1);

    const full = await call(completenessRoute, `symbol=${encodeURIComponent('NSE:NIFTY 50')}&date=2022-11-28`);
    for (const t of full.body.timeframes as { timeframe: string; ratio: number }[]) expect([t.timeframe, t.ratio]).toEqual([t.timeframe, 1]);
    // Asking again fetches nothing: the range is complete.
    await backfillInstrument(db, source, instrument, range);
    await call(candlesRoute, query);
    expect(kite.requests.historicalByToken.get(NIFTY)).toBe(1);
  });

  it('rejects bad input naming the field', async () => {
    expect((await call(gapsRoute, 'symbol=NSE:NIFTY%2050&from=yesterday')).body.error?.message).toMatch(/^query.from: /);
    expect((await call(completenessRoute, 'symbol=NSE:NIFTY%2050&date=28-11-2022')).body.error?.message).toMatch(/^query.date: /);
    expect((await call(gapsRoute, 'symbol=NSE:NOPE')).status).toBe(404);
  });
}, { skip: !hasSharedData(GAP_DAY, VENDOR) });
