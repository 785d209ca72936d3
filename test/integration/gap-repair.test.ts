/**
 * Automatic gap repair (issue 8): a running worker (worker/runtime.ts startWorker: pipeline,
 * aggregator, candle writer, gap repairer) on each backend (a fresh database per block,
 * test/support/test-database.ts: embedded, and the TimescaleDB server with TEST_DATABASE_URL), with the real
 * KiteConnect client (HISTORY_SOURCE=kite) against the local Kite REST server. Its feed drops for
 * six minutes (a disconnect) and comes back; nobody reads /api/candles. The worker fills the hole
 * from the server, fills the previous stored session's hole and partial candle, asks each gap
 * once (server request counts), leaves a minute the broker has no candle for missing without
 * asking again, and reports progress in health and metrics.
 *
 * Time is the feed's virtual clock (2025-01-06, a Monday); the test waits on the repairer's
 * 'run' events and the feed's phase promises, never on wall-clock sleeps.
 */
import { once } from 'node:events';
import pino from 'pino';
import { Server } from 'socket.io';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { nseCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { KiteHistoricalSource } from '@/worker/sources/kite/historical';
import type { FeedState, FeedStatus, TickFeed } from '@/worker/sources/feed';
import { SourceEvents } from '@/worker/sources/source-events';
import { createWorkerMetrics } from '@/worker/metrics';
import type { GapRepairRun } from '@/worker/backfill/gap-repairer';
import { startWorker, type WorkerHandle } from '@/worker/runtime';
import { startKiteRestServer, type KiteRestServer, type ServedCandle } from '../support/kite-rest-server';
import { describeEachBackend, useTestDatabase } from '../support/test-database';
import { makeTick } from '../support/ticks';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const MIN = 60_000;
const minutes = (from: string, count: number) => Array.from({ length: count }, (_, i) => ist(from) + i * MIN);

const RELIANCE: Instrument = {
  instrumentToken: 738561, exchange: 'NSE', tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null,
};
const NIFTY_FUT: Instrument = {
  instrumentToken: 13238786, exchange: 'NFO', tradingsymbol: 'NIFTY25JANFUT', name: 'NIFTY', segment: 'NFO-FUT', instrumentType: 'FUT', tickSize: 0.05, lotSize: 75, expiry: '2025-01-30', strike: null,
};
const FRIDAY = '2025-01-03';
const TODAY = '2025-01-06';
const HOLE = minutes(`${TODAY}T09:25:00`, 6); // 09:25 … 09:30: the feed is down
const FRIDAY_HOLE = minutes(`${FRIDAY}T14:00:00`, 10); // missing from the previous stored session
const FRIDAY_PARTIAL = ist(`${FRIDAY}T15:00:00`); // stored partial: to be replaced
const ILLIQUID = ist(`${TODAY}T09:27:00`); // the broker has no NIFTY_FUT candle for it

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Ticks every 10 s for both instruments: phase A 09:15–09:24:50, a disconnect, phase B 09:31–09:39:50 (released by the test). */
class DroppingFeed implements TickFeed {
  readonly name = 'dropping-test-feed';
  readonly events = new SourceEvents();
  readonly phaseA = deferred();
  readonly phaseB = deferred();
  readonly reconnect = deferred();
  private clock = ist(`${TODAY}T09:14:59`);
  private emitted = 0;
  private state: FeedState = 'starting';
  private volume = 0;

  instruments(): Instrument[] {
    return [RELIANCE, NIFTY_FUT];
  }

  private batch(time: number): Tick[] {
    this.volume += 100;
    const wave = Math.sin(time / 600_000);
    return [
      makeTick({ instrumentToken: RELIANCE.instrumentToken, exchange: 'NSE', tradingsymbol: 'RELIANCE', exchangeTime: time, ltp: 1250 + wave, volume: this.volume, feed: 'kite' }),
      makeTick({ instrumentToken: NIFTY_FUT.instrumentToken, exchange: 'NFO', tradingsymbol: 'NIFTY25JANFUT', exchangeTime: time, ltp: 23_700 + 10 * wave, volume: 3 * this.volume, oi: 1_000_000, feed: 'kite' }),
    ];
  }

  async *ticks(signal: AbortSignal): AsyncIterable<Tick[]> {
    this.state = 'live';
    const run = async function* (this: DroppingFeed, from: string, to: string) {
      for (let t = ist(from); t <= ist(to); t += 10_000) {
        this.clock = t;
        this.emitted += 2;
        yield this.batch(t);
      }
    }.bind(this);
    yield* run(`${TODAY}T09:15:00`, `${TODAY}T09:24:50`);
    this.phaseA.resolve();
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.reconnect.promise, aborted]);
    if (signal.aborted) return;
    yield* run(`${TODAY}T09:31:00`, `${TODAY}T09:39:50`);
    this.phaseB.resolve();
    await aborted; // stay connected: the clock stays at 09:39:50
  }

  now(): number {
    return this.clock;
  }

  status(): FeedStatus {
    return { name: this.name, state: this.state, ticksEmitted: this.emitted, lastTickTime: this.clock };
  }
}

/** The broker's candles: every session minute of both days, prices unlike the feed's. */
function servedCandles(token: number, base: number): ServedCandle[] {
  const out: ServedCandle[] = [];
  for (const day of [FRIDAY, TODAY]) {
    for (const [i, bucket] of nseCalendar.sessionMinutes(ist(`${day}T00:00:00`), ist(`${day}T23:59:00`)).entries()) {
      if (token === NIFTY_FUT.instrumentToken && bucket === ILLIQUID) continue;
      out.push({ bucket, open: base + i, high: base + i + 2, low: base + i - 1, close: base + i + 1, volume: 1000 + i, oi: token === NIFTY_FUT.instrumentToken ? 2_000_000 + i : null });
    }
  }
  return out;
}

async function stored(db: Database, token: number, buckets: number[]) {
  const rows = await db.query<{ ms: string | number; open: number; high: number; low: number; close: number; volume: string | number; oi: string | number | null; partial: boolean }>(
    `SELECT (extract(epoch FROM bucket) * 1000)::int8 AS ms, open, high, low, close, volume, oi, partial FROM candles_1m
     WHERE instrument_token = $1 AND bucket = ANY (SELECT to_timestamp(b / 1000.0) FROM unnest($2::bigint[]) AS u(b)) ORDER BY bucket`,
    [token, `{${buckets.join(',')}}`],
  );
  return rows.map((r) => ({ bucket: Number(r.ms), open: r.open, high: r.high, low: r.low, close: r.close, volume: Number(r.volume), oi: r.oi === null ? null : Number(r.oi), partial: r.partial }));
}

const asServed = (candles: ServedCandle[], buckets: number[]) =>
  candles.filter((c) => buckets.includes(c.bucket)).map((c) => ({ ...c, oi: c.oi ?? null, partial: false }));

describeEachBackend('automatic gap repair in a running worker (HISTORY_SOURCE=kite, local Kite REST server)', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let kite: KiteRestServer;
  let worker: WorkerHandle | undefined;
  let feed: DroppingFeed;
  const runs: GapRepairRun[] = [];

  /** Resolve once the repairer has finished a run after which `check` holds. */
  async function untilRun(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; runs: ${JSON.stringify(runs)}`);
      // The next run, or 2 s (a run may have ended between the check and the wait).
      const wait = new AbortController();
      const timer = setTimeout(() => wait.abort(), 2000);
      await once(worker!.gapRepair, 'run', { signal: wait.signal }).catch(() => undefined);
      clearTimeout(timer);
    }
  }

  beforeAll(async () => {
    db = database.db;
    await upsertInstruments(db, [RELIANCE, NIFTY_FUT]);
    kite = await startKiteRestServer();
    kite.candles.set(RELIANCE.instrumentToken, servedCandles(RELIANCE.instrumentToken, 1240));
    kite.candles.set(NIFTY_FUT.instrumentToken, servedCandles(NIFTY_FUT.instrumentToken, 23_650));
    // The previous stored session (Friday) of RELIANCE: live candles with a hole and a partial bar.
    const friday = nseCalendar
      .sessionMinutes(ist(`${FRIDAY}T00:00:00`), ist(`${FRIDAY}T23:59:00`))
      .filter((m) => !FRIDAY_HOLE.includes(m))
      .map((bucket) => ({ instrumentToken: RELIANCE.instrumentToken, bucket, open: 1, high: 1, low: 1, close: 1, volume: 1, oi: null, partial: bucket === FRIDAY_PARTIAL }));
    await upsertOneMinuteCandles(db, friday);
    await db.query(`UPDATE candles_1m SET partial = true WHERE instrument_token = $1 AND bucket = $2`, [RELIANCE.instrumentToken, new Date(FRIDAY_PARTIAL).toISOString()]);

    feed = new DroppingFeed();
    const env = parseWorkerEnv({ DATA_DIR: database.dataDir, FEED: 'simulator', FLUSH_INTERVAL_MS: '200', LOG_LEVEL: 'silent' } as unknown as NodeJS.ProcessEnv);
    const history = new KiteHistoricalSource({ apiKey: 'test', accessToken: 'test', root: kite.url });
    worker = await startWorker({ db, env, io: new Server(), logger: pino({ level: 'silent' }), feed, history });
    worker.gapRepair.on('run', (run: GapRepairRun) => runs.push(run));
  });

  afterAll(async () => {
    await worker?.stop(5000);
    await kite?.close();
  });

  it('fills the previous session’s hole and partial bar at start, then the reconnect hole, each gap once, without a candle read', async () => {
    await feed.phaseA.promise;
    // At start: Friday's 10 missing minutes and its partial 15:00 bar, in one request.
    await untilRun('Friday repaired', () => worker!.health().gapRepair!.repaired >= FRIDAY_HOLE.length + 1);
    expect(kite.requests.historicalByToken.get(RELIANCE.instrumentToken)).toBe(1);
    expect(kite.requests.historicalByToken.get(NIFTY_FUT.instrumentToken)).toBeUndefined(); // no previous session, nothing missing yet
    const served = kite.candles.get(RELIANCE.instrumentToken)!;
    expect(await stored(db, RELIANCE.instrumentToken, [...FRIDAY_HOLE, FRIDAY_PARTIAL])).toEqual(asServed(served, [...FRIDAY_HOLE, FRIDAY_PARTIAL]));
    expect((await stored(db, RELIANCE.instrumentToken, [ist(`${FRIDAY}T13:59:00`)]))[0]).toMatchObject({ close: 1, partial: false }); // live candles kept

    // The feed comes back at 09:31: the 09:25–09:30 hole is filled from the broker.
    feed.reconnect.resolve();
    await feed.phaseB.promise;
    const holeMinutes = HOLE.length + HOLE.length - 1; // NIFTY_FUT: the broker has no 09:27 candle
    await untilRun('the hole repaired', () => worker!.health().gapRepair!.repaired >= FRIDAY_HOLE.length + 1 + holeMinutes);
    expect(await stored(db, RELIANCE.instrumentToken, HOLE)).toEqual(asServed(served, HOLE));
    const futServed = kite.candles.get(NIFTY_FUT.instrumentToken)!;
    const futHole = HOLE.filter((m) => m !== ILLIQUID);
    expect(await stored(db, NIFTY_FUT.instrumentToken, HOLE)).toEqual(asServed(futServed, futHole));
    // Live candles around the hole are the feed's, not the broker's.
    const [before, after] = await stored(db, RELIANCE.instrumentToken, [ist(`${TODAY}T09:24:00`), ist(`${TODAY}T09:31:00`)]);
    expect(before.open).toBeGreaterThan(1248);
    expect(after.open).toBeGreaterThan(1248);
    expect(after.open).not.toBe(served.find((c) => c.bucket === after.bucket)!.open);

    // Each gap was asked once: one request per instrument for the hole.
    expect(kite.requests.historicalByToken.get(RELIANCE.instrumentToken)).toBe(2);
    expect(kite.requests.historicalByToken.get(NIFTY_FUT.instrumentToken)).toBe(1);
    expect(kite.requests.rateLimited).toBe(0);

    // More runs (as the periodic timer would do) ask nothing again, not even the minute the broker lacks.
    const runsBefore = worker!.health().gapRepair!.runs;
    worker!.gapRepair.request('test');
    await untilRun('another run', () => worker!.health().gapRepair!.runs > runsBefore);
    expect(kite.requests.historicalByToken.get(RELIANCE.instrumentToken)).toBe(2);
    expect(kite.requests.historicalByToken.get(NIFTY_FUT.instrumentToken)).toBe(1);
    expect(await stored(db, NIFTY_FUT.instrumentToken, [ILLIQUID])).toEqual([]);

    // Progress in health and in Prometheus.
    const health = worker!.health().gapRepair!;
    expect(health).toMatchObject({ state: 'idle', source: 'kite', instruments: 2, queued: 0, requests: 3, repaired: FRIDAY_HOLE.length + 1 + holeMinutes, failed: 0, lastError: null });
    expect(Date.parse(health.lastRunAt!)).toBeGreaterThan(0);
    const metrics = await createWorkerMetrics({ health: () => worker!.health(), collectors: () => [] }).render();
    expect(metrics.body).toContain(`marketdesk_gap_repair_repaired_minutes_total ${FRIDAY_HOLE.length + 1 + holeMinutes}`);
    expect(metrics.body).toContain('marketdesk_gap_repair_requests_total 3');
    expect(metrics.body).toContain('marketdesk_gap_repair_state{state="idle"} 1');

    // The higher timeframes were refreshed over the repaired day: 09:25 5m bucket is complete.
    const fiveMinute = await db.query<{ volume: string | number }>(
      `SELECT volume FROM candles_5m WHERE instrument_token = $1 AND bucket = $2`,
      [RELIANCE.instrumentToken, new Date(ist(`${TODAY}T09:25:00`)).toISOString()],
    );
    const expectedVolume = served.filter((c) => c.bucket >= ist(`${TODAY}T09:25:00`) && c.bucket < ist(`${TODAY}T09:30:00`)).reduce((n, c) => n + c.volume, 0);
    expect(Number(fiveMinute[0]?.volume)).toBe(expectedVolume);
  });
});
