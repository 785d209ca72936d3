/**
 * Fan-out across nodes (issue 9, point 4; docs/scaling.md): the stand-alone worker
 * (worker/index.ts, REALTIME_ADAPTER=postgres) and two realtime nodes (worker/realtime/node.ts)
 * form one Socket.IO cluster through @socket.io/postgres-adapter on a real TimescaleDB server.
 *
 * The worker replays the NSE per-second NIFTY 50 file at 60× (one 1m candle per second). One
 * socket.io-client on each node and one on the worker subscribe to the same symbol and 1m
 * candles; over the same closed minutes they receive the very same conflated ticks, open-candle
 * updates and closed candles. An unsubscribe on one node stops its client's stream while the
 * others continue; subscribing again answers with the node's snapshot at once.
 *
 * Database: TEST_DATABASE_URL when set (a fresh database cloned from the run's template), else
 * a server started here from ../shared/timescaledb (start-server.sh / stop-server.sh); skipped,
 * with the reason in the title, when neither is available.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle, Tick } from '@/lib/market/tick';
import type { ClientToServerEvents, ServerToClientEvents, SubscriptionAck } from '@/lib/realtime/events';
import { hasSharedData, sharedData } from '../support/shared-data';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/test-database';
import { freePort, killWorkerProcesses, startWorkerProcess, waitFor, workerHealth } from '../support/worker-process';

const REPLAY = 'nse-nifty-1s-vs-1m/anshkumar_2022-11-30.csv';
const SYMBOL = 'NSE:NIFTY 50';
const TSDB = path.resolve(process.cwd(), '../shared/timescaledb');
const POSTGRES_LIB = '/usr/lib/postgresql/15/lib/timescaledb.so';

/** Why the test cannot run here, or null. */
function skipReason(): string | null {
  if (!hasSharedData(REPLAY)) return `${sharedData(REPLAY)} not found`;
  if (TEST_DATABASE_URL) return null;
  if (!existsSync(path.join(TSDB, 'start-server.sh'))) return `no TEST_DATABASE_URL and no ${TSDB}/start-server.sh`;
  if (!existsSync(POSTGRES_LIB)) return `no TEST_DATABASE_URL and TimescaleDB is not installed (${POSTGRES_LIB}; bash ../shared/timescaledb/install.sh)`;
  return null;
}
const SKIP = skipReason();

/** A database for the cluster: a clone on TEST_DATABASE_URL, else a server started here. */
async function openClusterDatabase(): Promise<{ url: string; env: Record<string, string>; close(): Promise<void> }> {
  if (TEST_DATABASE_URL) {
    const db: TestDatabase = await createTestDatabase('server');
    return { url: db.url!, env: db.env(), close: () => db.destroy() };
  }
  // Not created here: start-server.sh creates it and hands it to the postgres user when root.
  const dataDir = path.join(tmpdir(), `md-realtime-pg-${process.pid}-${Date.now()}`);
  const started = spawnSync('bash', [path.join(TSDB, 'start-server.sh'), dataDir, String(await freePort())], { encoding: 'utf8' });
  const url = /DATABASE_URL=(\S+)/.exec(started.stdout)?.[1];
  if (started.status !== 0 || !url) throw new Error(`start-server.sh failed: ${started.stderr}`);
  const workerDir = mkdtempSync(path.join(tmpdir(), 'md-realtime-worker-'));
  return {
    url,
    env: { DATABASE_URL: url, DATA_DIR: workerDir },
    async close() {
      spawnSync('bash', [path.join(TSDB, 'stop-server.sh'), dataDir], { encoding: 'utf8' });
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(workerDir, { recursive: true, force: true });
    },
  };
}

/** Everything one client received, and waiting on it (resolved from the event handlers, no sleeps). */
class Recorder {
  readonly ticks: Tick[] = [];
  readonly tickMessages: number[] = [];
  readonly candles: Candle[] = [];
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(readonly name: string, url: string) {
    this.socket = connect(url, { transports: ['websocket'], reconnection: false });
    this.socket.on('ticks', (ticks) => {
      this.tickMessages.push(ticks.length);
      this.ticks.push(...ticks);
      this.wake();
    });
    this.socket.on('candle', (candle) => {
      this.candles.push(candle);
      this.wake();
    });
  }

  request(event: 'subscribe' | 'unsubscribe', timeframes?: ['1m']): Promise<SubscriptionAck> {
    return new Promise((resolve) => this.socket.emit(event, { symbols: [SYMBOL], ...(timeframes ? { timeframes } : {}) }, resolve));
  }

  /** Resolves once `check` holds (checked now and after every event). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  closedBuckets(): number[] {
    return this.candles.filter((c) => c.closed && c.timeframe === '1m').map((c) => c.bucket);
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}

/** A realtime node process on `port`. */
function startNode(env: Record<string, string>, port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/realtime/node.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env, REALTIME_ADAPTER: 'postgres', REALTIME_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function nodeHealth(port: number): Promise<{ syncs: number; epoch: string | null; clients: number } | null> {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { syncs: number; epoch: string | null; clients: number };
  } catch {
    return null;
  }
}

const byTime = (ticks: Tick[], from: number, to: number) =>
  ticks.filter((t) => t.exchangeTime >= from && t.exchangeTime < to).map((t) => `${t.exchangeTime}:${t.ltp}`);
const openUpdates = (candles: Candle[], buckets: number[]) =>
  candles.filter((c) => !c.closed && c.timeframe === '1m' && buckets.includes(c.bucket));

describe.skipIf(SKIP !== null)(`realtime cluster: worker + two realtime nodes on TimescaleDB${SKIP ? ` [skipped: ${SKIP}]` : ''}`, () => {
  let database: Awaited<ReturnType<typeof openClusterDatabase>>;
  const nodes: ChildProcess[] = [];
  const clients: Recorder[] = [];
  let a: Recorder; // on node 1
  let b: Recorder; // on node 2
  let w: Recorder; // on the worker itself

  beforeAll(async () => {
    database = await openClusterDatabase();
    const channel = `md_test_${process.pid}`;
    const shared = { ...database.env, REALTIME_CHANNEL: channel };
    const [workerPort, port1, port2] = [await freePort(), await freePort(), await freePort()];
    // Nodes first: they must pick up a worker that starts after them (new epoch → sync).
    nodes.push(startNode(shared, port1), startNode(shared, port2));
    startWorkerProcess({ ...shared, REALTIME_ADAPTER: 'postgres', WORKER_PORT: String(workerPort), REPLAY_FILE: sharedData(REPLAY), REPLAY_SPEED: '60' });
    await waitFor('worker health', async () => (await workerHealth(workerPort))?.ok === true);
    for (const port of [port1, port2]) await waitFor(`node ${port} synced`, async () => ((await nodeHealth(port))?.syncs ?? 0) > 0);
    a = new Recorder('node 1', `http://127.0.0.1:${port1}`);
    b = new Recorder('node 2', `http://127.0.0.1:${port2}`);
    w = new Recorder('worker', `http://127.0.0.1:${workerPort}`);
    clients.push(a, b, w);
    for (const client of clients) expect((await client.request('subscribe', ['1m'])).ok).toBe(true);
  });

  afterAll(async () => {
    for (const client of clients) client.socket.close();
    for (const node of nodes) if (node.exitCode === null) node.kill('SIGKILL');
    killWorkerProcesses();
    await database?.close();
  });

  it('a client on each node receives the same ticks, open-candle updates and closed candles as on the worker', async () => {
    // Five minutes closed on every client (after all subscribed).
    const common = () => a.closedBuckets().filter((bucket) => b.closedBuckets().includes(bucket) && w.closedBuckets().includes(bucket));
    await Promise.all(clients.map((c) => c.until(() => common().length >= 5)));
    const buckets = [...new Set(common())].sort((x, y) => x - y);
    // The first common minute may have begun before a client subscribed; compare from the second.
    const from = buckets[1];
    const to = buckets[buckets.length - 1];
    // Frames arrive in order: a tick past the window means the window's ticks have all arrived.
    await Promise.all(clients.map((c) => c.until(() => c.ticks.some((t) => t.exchangeTime >= to))));

    const ticksA = byTime(a.ticks, from, to);
    expect(ticksA.length).toBeGreaterThanOrEqual(8);
    expect(byTime(b.ticks, from, to)).toEqual(ticksA);
    expect(byTime(w.ticks, from, to)).toEqual(ticksA);
    // Conflated: a message holds at most the one subscribed symbol's latest tick.
    expect(Math.max(...a.tickMessages, ...b.tickMessages)).toBe(1);

    const window = buckets.slice(1, -1);
    const closedOf = (r: Recorder) => r.candles.filter((c) => c.closed && c.timeframe === '1m' && window.includes(c.bucket));
    expect(closedOf(a).length).toBe(window.length);
    expect(closedOf(b)).toEqual(closedOf(a));
    expect(closedOf(w)).toEqual(closedOf(a));
    for (const candle of closedOf(a)) {
      expect(candle).toMatchObject({ symbol: SYMBOL, timeframe: '1m', closed: true });
      expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
      expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
    }
    const updates = openUpdates(a.candles, window);
    expect(updates.length).toBeGreaterThanOrEqual(window.length);
    expect(openUpdates(b.candles, window)).toEqual(updates);
    expect(openUpdates(w.candles, window)).toEqual(updates);
  });

  it('unsubscribe on one node stops that client only; subscribing again answers with the node snapshot', async () => {
    expect((await b.request('unsubscribe')).ok).toBe(true);
    const [bTicks, bCandles] = [b.ticks.length, b.candles.length];
    // Node 1 keeps streaming: ten more messages there, none on node 2's unsubscribed client.
    const aMessages = a.tickMessages.length;
    await a.until(() => a.tickMessages.length >= aMessages + 10 && a.candles.some((c) => c.closed && c.bucket > (b.candles.at(-1)?.bucket ?? 0)));
    expect(b.ticks.length).toBe(bTicks);
    expect(b.candles.length).toBe(bCandles);

    // The snapshot is emitted before the ack: it has arrived when the ack does.
    expect((await b.request('subscribe', ['1m'])).ok).toBe(true);
    expect(b.ticks.length).toBe(bTicks + 1);
    expect(b.ticks.at(-1)!.tradingsymbol).toBe('NIFTY 50');
    expect(b.candles.length).toBe(bCandles + 1);
    expect(b.candles.at(-1)).toMatchObject({ symbol: SYMBOL, timeframe: '1m', closed: false });
  });
});
