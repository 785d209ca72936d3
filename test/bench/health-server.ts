/**
 * Child process of the health-under-load bench (test/bench/health.ts): the worker's database
 * work and an HTTP server on one event loop, as in the single-process host.
 *
 * - Database: a fresh embedded database under HEALTH_DIR (on its thread, or in-process with
 *   EMBEDDED_DB_THREAD=0 — the "before"), or BENCH_SERVER_DB_URL (a migrated server database).
 * - Load on the database: the tick pipeline ingesting a replay file (HEALTH_TICKS_FILE) at max
 *   speed (COPYs, candle upserts, aggregate refreshes), plus `GET /load/candles?token=` from the
 *   client: 1m candles of one instrument built from all its stored ticks (time_bucket over
 *   `ticks`, a multi-hundred-ms statement).
 * - `GET /api/health`: the route's database check (lib/db/probe.ts probeDatabase) and the
 *   pipeline's stats, JSON, as app/api/health/route.ts does.
 * IPC: sends `{ ready: port }` once listening; `{ stop: true }` stops the feed and exits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openEmbeddedDatabase, openServerDatabase } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { probeDatabase } from '@/lib/db/probe';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { createReplayFeed } from '@/worker/sources/replay/replay';

const CANDLES_SQL = `SELECT time_bucket('1 minute', time) AS bucket, first(ltp, time) AS open, max(ltp) AS high,
  min(ltp) AS low, last(ltp, time) AS close, sum(last_quantity) AS volume
  FROM ticks WHERE instrument_token = $1 GROUP BY 1 ORDER BY 1`;

async function main(): Promise<void> {
  const dir = process.env.HEALTH_DIR!;
  const db = process.env.BENCH_SERVER_DB_URL
    ? await openServerDatabase(process.env.BENCH_SERVER_DB_URL, 4)
    : await openEmbeddedDatabase(path.join(dir, 'db'));
  await migrateDatabase(db);
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
        const database = await probeDatabase(db);
        const stats = pipeline.buffer.stats;
        res.writeHead(database.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: database.ok ? 'ok' : 'degraded', database, pipeline: { accepted: pipeline.ticksAccepted, written: stats.written, depth: stats.depth } }));
      } else if (url.pathname === '/load/candles') {
        const rows = await db.query(CANDLES_SQL, [Number(url.searchParams.get('token'))]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(rows));
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ ready: (server.address() as AddressInfo).port });
  process.on('message', async (message: { stop?: boolean }) => {
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
