/**
 * Child process of the health-under-load bench (test/bench/health.ts): the app's own routes on
 * the host's request listener (worker/host-listener.ts, as `npm start` serves them before
 * Next.js) and the worker's database work, on one event loop as in the single-process host.
 *
 * - Database: a fresh embedded database under HEALTH_DIR (on its thread, or in-process with
 *   EMBEDDED_DB_THREAD=0 — the "before"), or BENCH_SERVER_DB_URL (a migrated server database).
 * - Load on the database: the tick pipeline ingesting a replay file (HEALTH_TICKS_FILE) at max
 *   speed (COPYs, candle upserts, aggregate refreshes), plus the clients' `GET /api/candles`
 *   (lib/api/candles/get.ts: memory first, caches, coalescing, the heavy-route limit, gap check)
 *   of 1m candles over 31 days (issue 12: "200 concurrent 1m/31-day candle requests") for
 *   HISTORY_INSTRUMENTS instruments NSE:HEALTH0…, tokens 6,000,000 + i, whose every weekday
 *   minute 09:15–15:29 IST of the 31 days before 2025-12-29 is seeded into `candles_1m` at start.
 * - `GET /api/health`: lib/api/health/get.ts, the route's database check and the worker's health
 *   (here the pipeline's figures through the in-process gateway).
 * - The serving thread's event-loop delay (perf_hooks monitorEventLoopDelay, 10 ms resolution)
 *   is recorded while the clients run: `{ loop: { p99Ms, maxMs }, dbReads }` on request
 *   (dbReads: candle and gap-minute reads that reached the database; bodiesBuilt: JSON bodies built).
 * IPC: sends `{ ready: port, candlesPerRequest }` once listening; `{ measure: true }` starts the
 * max-speed ingest and the event-loop delay histogram, `{ report: true }` answers `{ loop, dbReads, bodiesBuilt }`; `{ stop: true }`
 * stops the feed and exits.
 */
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { BinaryCopyWriter } from '@/lib/db/binary-copy';
import type { Database } from '@/lib/db/client';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { WorkerHealth } from '@/lib/gateway';
import { readerStats } from '@/lib/api/candles/candle-reader';
import { responseStats } from '@/lib/api/candles/response-cache';
import { clearWebRuntime } from '@/lib/runtime/registry';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { HISTORY_END, HISTORY_INSTRUMENTS, HISTORY_START, HISTORY_SYMBOL, HISTORY_TOKEN } from './health-constants';
import { openChildDatabase, serveHostRoutes } from './host-child';

const COLUMNS = ['bucket', 'instrument_token', 'open', 'high', 'low', 'close', 'volume', 'oi'] as const;

/** Seed `candles_1m` with every weekday session minute of the 31 days for HISTORY_INSTRUMENTS instruments. */
async function seedHistory(db: Database): Promise<number> {
  await upsertInstruments(
    db,
    Array.from({ length: HISTORY_INSTRUMENTS }, (_, i) => ({
      instrumentToken: HISTORY_TOKEN + i, exchange: 'NSE', tradingsymbol: `${HISTORY_SYMBOL}${i}`, name: null, segment: 'NSE',
      instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null,
    })),
  );
  const minutes: number[] = [];
  for (let day = HISTORY_START; day < HISTORY_END; day += 86_400_000) {
    const weekday = new Date(day + 5.5 * 3_600_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let m = 0; m < 375; m++) minutes.push(day + (9 * 60 + 15 + m) * 60_000);
  }
  for (let i = 0; i < HISTORY_INSTRUMENTS; i++) {
    const out = new BinaryCopyWriter(minutes.length * (2 + COLUMNS.length * 12));
    let price = 100 + i;
    for (const bucket of minutes) {
      const open = price;
      price = Math.max(1, price + (((bucket / 60_000) * 7919 + i) % 11) / 100 - 0.05);
      out.row(COLUMNS.length);
      out.timestamptz(bucket);
      out.int8(HISTORY_TOKEN + i);
      out.float8(open);
      out.float8(Math.max(open, price) + 0.1);
      out.float8(Math.min(open, price) - 0.1);
      out.float8(price);
      out.int8(1000 + (bucket % 977));
      out.null();
    }
    await db.copyFrom('candles_1m', COLUMNS, out.finish(), 'binary');
  }
  return minutes.length;
}

async function main(): Promise<void> {
  const dir = process.env.HEALTH_DIR!;
  const db = await openChildDatabase(dir);
  const perInstrument = await seedHistory(db);
  const feed = createReplayFeed({ file: process.env.HEALTH_TICKS_FILE!, speed: 'max' });
  const pipeline = new TickPipeline({
    db,
    flushSize: Number(process.env.FLUSH_SIZE ?? 1000),
    flushIntervalMs: 1000,
    maxBufferTicks: 200_000,
    candleGraceMs: 0,
    clock: () => feed.now(),
    journalDir: path.join(dir, 'journal'),
  });
  await pipeline.start();
  if (process.env.HEALTH_DEBUG) setInterval(() => console.error('debug', JSON.stringify({ ...pipeline.buffer.stats, accepted: pipeline.ticksAccepted, pending: (db as { pending?: number }).pending })), 2000).unref();
  const abort = new AbortController();
  // The max-speed ingest starts with the measured span (`{ measure: true }`).
  let ingest: Promise<void> = Promise.resolve();
  const startIngest = () =>
    (ingest = (async () => {
      for await (const batch of feed.ticks(abort.signal)) {
        const wait = pipeline.accept(batch);
        if (wait) await wait;
      }
    })());

  const startedAt = new Date().toISOString();
  const health = (): WorkerHealth => {
    const stats = pipeline.buffer.stats;
    return {
      ok: true,
      startedAt,
      feed: { name: 'replay', state: 'live', ticksEmitted: pipeline.ticksAccepted, lastTickTime: null },
      pipeline: { ticksAccepted: pipeline.ticksAccepted, ticksWritten: stats.written, bufferDepth: stats.depth, writeErrors: 0, lastFlushAt: null, candlesClosed: 0, lateTicks: 0 },
      realtime: { clients: 0 },
    };
  };
  const { server, port } = await serveHostRoutes(db, pipeline, { ports: { health } });
  if (process.env.HEALTH_DEBUG) {
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url !== '/api/health') return;
      const t0 = Date.now();
      console.error('debug health arrived', t0 % 100000, 'from port', req.socket.remotePort);
      res.on('finish', () => console.error('debug health finished', Date.now() % 100000, 'after', Date.now() - t0));
    });
  }
  process.send!({ ready: port, candlesPerRequest: perInstrument });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  // GC pauses of the serving thread during the span: count, total and the longest, by kind.
  const gc = { measuring: false, minor: [] as number[], major: [] as number[] };
  new PerformanceObserver((list) => {
    if (!gc.measuring) return;
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major).push(entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const gcSummary = (pauses: number[]) => ({ count: pauses.length, totalMs: Math.round(pauses.reduce((a, b) => a + b, 0)), maxMs: Math.round(Math.max(0, ...pauses)) });
  process.on('message', async (message: { stop?: boolean; measure?: boolean; report?: boolean }) => {
    if (message.measure) {
      loop.enable();
      gc.measuring = true;
      startIngest();
    }
    if (message.report) {
      loop.disable();
      process.send!({ loop: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 }, dbReads: readerStats.dbReads + responseStats.storedLoads + responseStats.minuteLoads, bodiesBuilt: responseStats.bodiesBuilt, gc: { minor: gcSummary(gc.minor), major: gcSummary(gc.major) } });
    }
    if (!message.stop) return;
    abort.abort();
    await ingest.catch(() => {});
    await pipeline.stop({ timeoutMs: 5000, finalise: false });
    server.close();
    clearWebRuntime();
    await db.close();
    process.exit(0);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
