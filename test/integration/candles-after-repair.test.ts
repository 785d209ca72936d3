/**
 * /api/candles after gap repair (issue 12 point 3): a running worker (worker/runtime.ts
 * startWorker) whose feed drops for six minutes, with HISTORY_SOURCE=kite against the local Kite
 * REST server, on each backend. A read while the feed is down fills the route's caches (stored
 * rows, gap minutes, body) and the worker's memory covers the session from its first complete
 * minute; after the feed returns and the worker repairs the hole, the very next read shows the
 * broker's candles for the hole and no gap: the repairer invalidates the memory
 * (CandleCache.invalidate through GapRepairerOptions.onStored), whose new generation retires
 * the cached database rows. Without that wiring the memory would still claim the hole's range
 * and the read would lack those six minutes.
 *
 * Virtual time on the feed's clock (2025-01-06, a Monday); the test waits on the repairer's
 * 'run' events and the feed's phase promises.
 */
import { once } from 'node:events';
import pino from 'pino';
import { Server } from 'socket.io';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { WorkerPorts } from '@/lib/gateway';
import { nseCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import type { FeedState, FeedStatus, TickFeed } from '@/worker/sources/feed';
import { KiteHistoricalSource } from '@/worker/sources/kite/historical';
import { SourceEvents } from '@/worker/sources/source-events';
import { startWorker, type WorkerHandle } from '@/worker/runtime';
import { startKiteRestServer, type KiteRestServer, type ServedCandle } from '../support/kite-rest-server';
import { describeEachBackend, useTestDatabase } from '../support/test-database';
import { makeTick } from '../support/ticks';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const MIN = 60_000;
const TODAY = '2025-01-06';
const HOLE = Array.from({ length: 6 }, (_, i) => ist(`${TODAY}T09:25:00`) + i * MIN);
const RELIANCE: Instrument = {
  instrumentToken: 738561, exchange: 'NSE', tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null,
};

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Ticks every 10 s: 09:15–09:24:50, a disconnect until `reconnect`, then 09:31–09:39:50. */
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
    return [RELIANCE];
  }

  async *ticks(signal: AbortSignal): AsyncIterable<Tick[]> {
    this.state = 'live';
    const run = async function* (this: DroppingFeed, from: string, to: string) {
      for (let t = ist(from); t <= ist(to); t += 10_000) {
        this.clock = t;
        this.emitted++;
        this.volume += 100;
        yield [makeTick({ instrumentToken: RELIANCE.instrumentToken, exchange: 'NSE', tradingsymbol: 'RELIANCE', exchangeTime: t, ltp: 1250 + Math.sin(t / 600_000), volume: this.volume, feed: 'kite' })];
      }
    }.bind(this);
    yield* run(`${TODAY}T09:15:00`, `${TODAY}T09:24:50`);
    this.phaseA.resolve();
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([this.reconnect.promise, aborted]);
    if (signal.aborted) return;
    yield* run(`${TODAY}T09:31:00`, `${TODAY}T09:39:50`);
    this.phaseB.resolve();
    await aborted;
  }

  now(): number {
    return this.clock;
  }

  status(): FeedStatus {
    return { name: this.name, state: this.state, ticksEmitted: this.emitted, lastTickTime: this.clock };
  }
}

/** The broker's candles: every session minute of the day, prices unlike the feed's (opens 1240 + i). */
function servedCandles(): ServedCandle[] {
  return nseCalendar
    .sessionMinutes(ist(`${TODAY}T00:00:00`), ist(`${TODAY}T23:59:00`))
    .map((bucket, i) => ({ bucket, open: 1240 + i, high: 1242 + i, low: 1239 + i, close: 1241 + i, volume: 1000 + i, oi: null }));
}

interface CandlesBody {
  candles: { time: string; open: number }[];
  gaps: { status: string; missing: { from: string; to: string; minutes: number }[] };
}

/** Resolve once `check` holds (re-checked every 50 ms, at most 30 s). */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readCandles(): Promise<CandlesBody> {
  const from = new Date(ist(`${TODAY}T09:15:00`)).toISOString();
  const to = new Date(ist(`${TODAY}T09:45:00`)).toISOString();
  const response = await candlesRoute(new Request(`http://localhost/api/candles?symbol=NSE:RELIANCE&timeframe=1m&from=${from}&to=${to}`));
  expect(response.status).toBe(200);
  return (await response.json()) as CandlesBody;
}

describeEachBackend('/api/candles right after gap repair (memory and response caches invalidated)', (backend) => {
  const database = useTestDatabase(backend);
  let kite: KiteRestServer;
  let worker: WorkerHandle | undefined;
  let feed: DroppingFeed;

  beforeAll(async () => {
    const db = database.db;
    await upsertInstruments(db, [RELIANCE]);
    kite = await startKiteRestServer();
    kite.candles.set(RELIANCE.instrumentToken, servedCandles());
    feed = new DroppingFeed();
    const env = parseWorkerEnv({ DATA_DIR: database.dataDir, FEED: 'simulator', FLUSH_INTERVAL_MS: '200', LOG_LEVEL: 'silent' } as unknown as NodeJS.ProcessEnv);
    const history = new KiteHistoricalSource({ apiKey: 'test', accessToken: 'test', root: kite.url });
    worker = await startWorker({ db, env, io: new Server(), logger: pino({ level: 'silent' }), feed, history });
    const ports = { recentCandles: (q) => worker!.pipeline.recent.read(q.instrumentToken, q.timeframe, q.from, q.to) } as Partial<WorkerPorts> as WorkerPorts;
    registerWebRuntime({ db, worker: { kind: 'in-process', ports }, realtime: 'same-origin' });
  });

  afterAll(async () => {
    clearWebRuntime();
    await worker?.stop(5000);
    await kite?.close();
  });

  it('shows the repaired minutes in the next read after the repair', async () => {
    await feed.phaseA.promise;
    // The pipeline closes 09:15 … 09:23 on its candle-close timer (feed clock 09:24:50).
    await until('09:23 closed in memory', () => worker!.pipeline.recent.read(RELIANCE.instrumentToken, '1m', 0, Number.MAX_SAFE_INTEGER).candles.some((c) => c.bucket === ist(`${TODAY}T09:24:00`)) &&
      worker!.pipeline.recent.size.candles >= 8);
    const early = await readCandles(); // fills the caches while the feed is down
    expect(early.candles.length).toBeGreaterThanOrEqual(9);
    expect(early.candles.some((c) => HOLE.includes(Date.parse(c.time)))).toBe(false);
    expect(worker!.pipeline.recent.read(RELIANCE.instrumentToken, '1m', HOLE[0], HOLE[0] + MIN).coveredFrom).toBeLessThan(HOLE[0]);

    feed.reconnect.resolve();
    await feed.phaseB.promise;
    const deadline = Date.now() + 60_000;
    while (worker!.health().gapRepair!.repaired < HOLE.length) {
      if (Date.now() > deadline) throw new Error(`hole not repaired: ${JSON.stringify(worker!.health().gapRepair)}`);
      const wait = new AbortController();
      const timer = setTimeout(() => wait.abort(), 2000);
      await once(worker!.gapRepair, 'run', { signal: wait.signal }).catch(() => undefined);
      clearTimeout(timer);
    }

    const after = await readCandles();
    const served = kite.candles.get(RELIANCE.instrumentToken)!;
    const byTime = new Map(after.candles.map((c) => [Date.parse(c.time), c.open]));
    expect(HOLE.map((m) => byTime.get(m))).toEqual(HOLE.map((m) => served.find((c) => c.bucket === m)!.open));
    // Live minutes around the hole stay the feed's (≈ 1250), and the hole is no longer reported.
    expect(byTime.get(ist(`${TODAY}T09:24:00`))).toBeGreaterThan(1248);
    expect(byTime.get(ist(`${TODAY}T09:31:00`))).toBeGreaterThan(1248);
    expect(after.gaps.missing.filter((g) => Date.parse(g.from) < HOLE[5] + MIN && Date.parse(g.to) > HOLE[0])).toEqual([]);
  });
});
