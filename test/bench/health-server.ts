/**
 * Child process of the health-under-load bench (test/bench/health.ts): the worker's database
 * work and an HTTP server on one event loop, as in the single-process host.
 *
 * - Database: a fresh embedded database under HEALTH_DIR (on its thread, or in-process with
 *   EMBEDDED_DB_THREAD=0 — the "before"), or BENCH_SERVER_DB_URL (a migrated server database).
 * - Load on the database: the tick pipeline ingesting a replay file (HEALTH_TICKS_FILE) at max
 *   speed (COPYs, candle upserts, aggregate refreshes), plus `GET /load/candles?token=` from the
 *   client: the 1m candles of one instrument over 31 days (issue 12: "200 concurrent 1m/31-day
 *   candle requests"), read with lib/db/queries/candles.ts getCandles from `candles_1m` seeded
 *   at start (HISTORY_INSTRUMENTS instruments, tokens 6,000,000 + i, every weekday minute
 *   09:15–15:29 IST of the 31 days before 2025-12-29) and sent as JSON like /api/candles, in
 *   slices (lib/http/json-slices.ts; HEALTH_JSON_SLICES=0: one JSON.stringify per response).
 * - `GET /api/health`: the route's database check (lib/db/probe.ts probeDatabase) and the
 *   pipeline's stats, JSON, as app/api/health/route.ts does.
 * - The serving thread's event-loop delay (perf_hooks monitorEventLoopDelay, 10 ms resolution)
 *   is recorded while the clients run: `{ loop: { p99Ms, maxMs } }` on request.
 * IPC: sends `{ ready: port }` once listening; `{ measure: true }` starts the event-loop delay
 * histogram, `{ report: true }` answers `{ loop }`; `{ stop: true }` stops the feed and exits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BinaryCopyWriter } from '@/lib/db/binary-copy';
import { openEmbeddedDatabase, openServerDatabase, type Database } from '@/lib/db/client';
import { getCandles } from '@/lib/db/queries/candles';
import { jsonSlices } from '@/lib/http/json-slices';
import { HISTORY_END, HISTORY_INSTRUMENTS, HISTORY_START, HISTORY_TOKEN } from './health-constants';
import { migrateDatabase } from '@/lib/db/migrate';
import { probeDatabase } from '@/lib/db/probe';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { createReplayFeed } from '@/worker/sources/replay/replay';

const COLUMNS = ['bucket', 'instrument_token', 'open', 'high', 'low', 'close', 'volume', 'oi'] as const;

/** Seed `candles_1m` with every weekday session minute of the 31 days for HISTORY_INSTRUMENTS instruments. */
async function seedHistory(db: Database): Promise<number> {
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
  const db = process.env.BENCH_SERVER_DB_URL
    ? await openServerDatabase(process.env.BENCH_SERVER_DB_URL, 4)
    : await openEmbeddedDatabase(path.join(dir, 'db'));
  await migrateDatabase(db);
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
  const ingest = (async () => {
    for await (const batch of feed.ticks(abort.signal)) {
      const wait = pipeline.accept(batch);
      if (wait) await wait;
    }
  })();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/api/health') {
        const t0 = performance.now();
        const database = await probeDatabase(db);
        if (process.env.HEALTH_DEBUG) console.error('debug health handler', (performance.now() - t0).toFixed(1), 'ms', JSON.stringify(database));
        const stats = pipeline.buffer.stats;
        res.writeHead(database.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: database.ok ? 'ok' : 'degraded', database, pipeline: { accepted: pipeline.ticksAccepted, written: stats.written, depth: stats.depth } }));
      } else if (url.pathname === '/load/candles') {
        const candles = await getCandles(db, {
          instrumentToken: Number(url.searchParams.get('token')),
          timeframe: '1m',
          from: new Date(HISTORY_START),
          to: new Date(HISTORY_END),
          limit: 20_000,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        // In slices, letting other requests through between them (lib/http/json-slices.ts);
        // HEALTH_JSON_SLICES=0 stringifies each response in one go (the "before").
        if (process.env.HEALTH_JSON_SLICES === '0') res.end(JSON.stringify({ candles }));
        else {
          for await (const piece of jsonSlices(candles, { prefix: '{"candles":', suffix: '}' })) res.write(piece);
          res.end();
        }
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ ready: (server.address() as AddressInfo).port, candlesPerRequest: perInstrument });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  process.on('message', async (message: { stop?: boolean; measure?: boolean; report?: boolean }) => {
    if (message.measure) loop.enable();
    if (message.report) {
      loop.disable();
      process.send!({ loop: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 } });
    }
    if (!message.stop) return;
    abort.abort();
    await ingest.catch(() => {});
    await pipeline.stop({ timeoutMs: 5000, finalise: false });
    server.close();
    await db.close();
    process.exit(0);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
