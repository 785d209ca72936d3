/**
 * First-start history and the option chain through the real route handler: the simulator seeds
 * three sessions of 1m candles, then a minute of live ticks is stored; /api/option-chain rows
 * carry IV and delta consistent with their prices (Black-Scholes with the answer's own spot,
 * time to expiry and rate), change and OI change against the seeded previous session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as chainRoute } from '@/app/api/option-chain/route';
import type { Database } from '@/lib/db/client';
import { optionDelta, optionPrice } from '@/lib/options/black-scholes';
import { maxPain, putCallRatio } from '@/lib/options/chain-math';
import type { OptionChain } from '@/lib/options/chain';
import { istDayStart } from '@/lib/market/session';
import { getCandleAggregateWatermarks } from '@/lib/db/queries/candles';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { planSimulatorHistorySeed, seedSimulatorHistory } from '@/worker/sources/simulator/history-seed';
import { createSimulatorFeed } from '@/worker/sources/simulator/simulator';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const call = async (query: string) => {
  const response = await chainRoute(new Request(`http://localhost/api/option-chain?${query}`));
  return { status: response.status, body: (await response.json()) as OptionChain & { error?: { code: string; message: string } } };
};

describeEachBackend('simulator history and the option chain', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let tmp: string;
  const start = Date.now();
  const feed = createSimulatorFeed({ seed: 42, now: () => start, riskFreeRate: 0.065 });
  beforeAll(async () => {
    db = database.db;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-'));
    const pipeline = new TickPipeline({ db, flushSize: 1000, flushIntervalMs: 200, maxBufferTicks: 100_000, journalDir: tmp, candleGraceMs: 0, clock: () => start + 60_000 });
    await pipeline.registry.register(feed.instruments());
    const t0 = performance.now();
    // As the worker does: decide first (candles_1m empty), then write the history in the
    // background while a minute of live ticks goes through the pipeline.
    const plan = await planSimulatorHistorySeed(db, feed, { nowMs: start, beforeMs: start });
    expect(plan).not.toBeNull();
    const seeding = plan!.run();
    pipeline.start();
    await pipeline.accept(feed.generate(start + 60_000));
    expect(await pipeline.stop()).toBe(true);
    const seed = await seeding;
    console.info(`seeded ${seed.candles} candles in ${Math.round(performance.now() - t0)} ms`);
    expect(seed.seeded).toBe(true);
    expect(seed.days).toHaveLength(3);
    const options = feed.instruments().filter((i) => i.instrumentType === 'CE' || i.instrumentType === 'PE').length;
    expect(options).toBeGreaterThan(0);
    // Options: the last seeded session only; everything else: all three.
    expect(seed.candles).toBe(3 * 375 * (feed.instruments().length - options) + 375 * options);
    expect((await seedSimulatorHistory(db, feed, { nowMs: start })).seeded).toBe(false); // once only
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' });
  }, 180_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the seeded sessions feed daily candles (previous closes)', async () => {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(DISTINCT bucket)::int AS n FROM candles_1d WHERE instrument_token = 256265 AND bucket < $1::timestamptz`,
      [new Date(istDayStart(start)).toISOString()],
    );
    expect(row.n).toBe(3);
  });

  it('the seed stays before the live day: live candles intact, no live bucket materialised by it', async () => {
    const today = istDayStart(start);
    // Only the live minute (and nothing seeded) is stored from today on.
    const [live] = await db.query<{ n: number; seeded: number }>(
      `SELECT count(*) FILTER (WHERE bucket >= $1::timestamptz)::int AS n, count(*) FILTER (WHERE bucket >= $1::timestamptz AND bucket < $2::timestamptz)::int AS seeded FROM candles_1m`,
      [new Date(today).toISOString(), new Date(Math.floor(start / 60_000) * 60_000).toISOString()],
    );
    expect(live.seeded).toBe(0);
    expect(live.n).toBeGreaterThan(0);
    // The seed's refreshes end at today's 00:00 IST at the latest.
    for (const watermark of Object.values(await getCandleAggregateWatermarks(db))) expect(watermark).toBeLessThanOrEqual(today);
    // Seeded option candles: the last seeded session only.
    const [option] = await db.query<{ days: number }>(
      `SELECT count(DISTINCT date_trunc('day', bucket + interval '5 hours 30 minutes'))::int AS days FROM candles_1m c JOIN instruments i USING (instrument_token) WHERE i.instrument_type = 'CE' AND c.bucket < $1::timestamptz`,
      [new Date(today).toISOString()],
    );
    expect(option.days).toBe(1);
  });

  it('rows have IV and delta consistent with their prices', async () => {
    const { status, body } = await call('underlying=nifty');
    expect(status).toBe(200);
    expect(body).toMatchObject({ underlying: 'NIFTY', rate: 0.065 });
    expect(body.spot).toBeGreaterThan(20_000);
    // 15 listed strikes each side of the one nearest spot: all 31 while the simulated index is
    // within half a strike step of its reference level, fewer on the side it has moved towards
    // once it has drifted further (the simulator lists 31 strikes around the reference).
    const listed = feed.instruments().filter((i) => i.name === 'NIFTY' && i.instrumentType === 'CE').map((i) => i.strike!).sort((a, b) => a - b);
    expect(listed).toHaveLength(31);
    const nearest = listed.reduce((best, strike) => (Math.abs(strike - body.spot!) < Math.abs(best - body.spot!) ? strike : best));
    expect(body.atm).toBe(nearest);
    const at = listed.indexOf(nearest);
    expect(body.rows.map((r) => r.strike)).toEqual(listed.slice(Math.max(0, at - 15), at + 16));
    expect(body.timeToExpiryYears).toBeGreaterThan(0);
    let priced = 0;
    for (const row of body.rows) {
      for (const side of ['ce', 'pe'] as const) {
        const leg = row[side]!;
        expect(leg.symbol).toMatch(side === 'ce' ? /^NFO:NIFTY.*CE$/ : /^NFO:NIFTY.*PE$/);
        expect(leg.ltp).toBeGreaterThan(0);
        expect(leg.change).not.toBeNull();
        expect(leg.oiChange).not.toBeNull();
        if (leg.iv === null) continue;
        const inputs = { side: side === 'ce' ? ('CE' as const) : ('PE' as const), spot: body.spot!, strike: row.strike, years: body.timeToExpiryYears, rate: body.rate };
        expect(Math.abs(optionPrice(inputs, leg.iv) - leg.ltp!)).toBeLessThan(0.02);
        expect(leg.delta).toBeCloseTo(optionDelta(inputs, leg.iv)!, 5);
        expect(side === 'ce' ? leg.delta! > 0 : leg.delta! < 0).toBe(true);
        expect(leg.iv).toBeGreaterThan(0.03);
        expect(leg.iv).toBeLessThan(1);
        priced++;
      }
    }
    expect(priced).toBeGreaterThan(30);
    const oi = body.rows.map((r) => ({ strike: r.strike, ceOi: r.ce!.oi, peOi: r.pe!.oi }));
    expect(body.pcr).toBeCloseTo(putCallRatio(oi)!, 4);
    expect(body.maxPain).toBe(maxPain(oi));
  });

  it('BANKNIFTY, an explicit expiry, and errors', async () => {
    const bank = await call('underlying=BANKNIFTY&strikes=5');
    expect(bank.status).toBe(200);
    expect(bank.body.rows).toHaveLength(11);
    expect((await call(`underlying=NIFTY&expiry=${bank.body.expiry}`)).body.expiry).toBe(bank.body.expiry);
    expect((await call('underlying=NIFTY&expiry=2020-01-02')).status).toBe(404);
    expect((await call('underlying=NOSUCH')).body.error?.code).toBe('not_found');
    expect((await call('')).body.error?.message).toBe('query.underlying: required');
    expect((await call('underlying=NIFTY&expiry=tomorrow')).status).toBe(400);
  });
});
