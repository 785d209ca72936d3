/**
 * Child process of the candle-read bench (test/bench/candles.ts): the app's real
 * `GET /api/candles` route served by the host's own request listener (worker/host-listener.ts:
 * the route() wrapper, request guard and heavy-route rules, answered before Next.js exactly as
 * `npm start` does); other paths 404, or with BENCH_NEXT=1 go to the production Next.js build
 * (NEXT_DIST_DIR, default .next; `next build` first) as in `npm start`; either way with the web
 * runtime registered as `npm start` does (worker/host.ts: the same database, the worker's ports
 * in-process).
 *
 * What is stored and held, as in a live session on BENCH_DAY (default 2026-01-05, a Monday):
 * - instrument NSE:BENCHCANDLE (token 9_100_001) in `instruments`;
 * - the first CANDLES_STORED (default 300) 1m candles of the 375-minute session written to
 *   `candles_1m` before the run (a restart mid-session: the database holds the morning);
 * - the rest built live by a TickPipeline (restart continuation on, as in the worker) on the
 *   session's virtual clock (ticks every 5 s): the
 *   closed ones sit in the worker's CandleCache and are written by the candle writer, the last
 *   minute (15:29) is the open candle, and a tick every LIVE_TICK_MS (default 100 ms) keeps
 *   updating it while the clients read (no minute closes during the run).
 * - database: a fresh embedded one under CANDLES_DIR (on its thread unless EMBEDDED_DB_THREAD=0),
 *   or BENCH_SERVER_DB_URL (a migrated server database).
 * IPC: `{ ready: port, symbol, from, to }` once listening; `{ cpu: true }` → `{ cpu: process.cpuUsage() }`
 * (all threads: the serving thread, the embedded database's, the live pipeline); `{ stop: true }` → exit 0.
 */
import http from 'node:http';
import path from 'node:path';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { writeTicks } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';
import { clearWebRuntime } from '@/lib/runtime/registry';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { openChildDatabase, serveHostRoutes } from './host-child';

const TOKEN = 9_100_001;
const MINUTE = 60_000;

function tick(exchangeTime: number, ltp: number, volume: number): Tick {
  return {
    instrumentToken: TOKEN, exchange: 'NSE', tradingsymbol: 'BENCHCANDLE', ltp, volume, lastQuantity: 1, exchangeTime,
    averagePrice: null, oi: null, bidPrice: null, bidQuantity: null, askPrice: null, askQuantity: null, feed: 'replay',
  };
}

async function main(): Promise<void> {
  const day = process.env.BENCH_DAY ?? '2026-01-05';
  const open = Date.parse(`${day}T09:15:00+05:30`);
  const close = open + 375 * MINUTE;
  const storedMinutes = Number(process.env.CANDLES_STORED ?? 300);
  const db = await openChildDatabase(process.env.CANDLES_DIR!);
  await upsertInstruments(db, [
    { instrumentToken: TOKEN, exchange: 'NSE', tradingsymbol: 'BENCHCANDLE', name: 'Bench candle', segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null },
  ]);
  let price = 1000;
  let volume = 0;
  const stored = Array.from({ length: storedMinutes }, (_, i) => {
    const o = price;
    price = Math.round((price + Math.sin(i / 7) * 2) * 20) / 20;
    const v = 1000 + ((i * 37) % 500);
    volume += v;
    return { bucket: open + i * MINUTE, instrumentToken: TOKEN, open: o, high: Math.max(o, price) + 0.5, low: Math.min(o, price) - 0.5, close: price, volume: v, oi: null, partial: false };
  });
  await upsertOneMinuteCandles(db, stored);
  // The last stored tick of the morning: restart continuation takes its cumulative volume as the
  // baseline, so the first live minute is complete (not `partial`).
  await writeTicks(db, [{ ...tick(open + storedMinutes * MINUTE - 1000, price, volume), seq: 1 }]);

  let clock = open + storedMinutes * MINUTE;
  const pipeline = new TickPipeline({
    db, flushSize: 1000, flushIntervalMs: 200, maxBufferTicks: 100_000, candleGraceMs: 0,
    clock: () => clock, journalDir: path.join(process.env.CANDLES_DIR!, 'journal'), continueFromStorage: true,
  });
  await pipeline.start();
  // The live part: a tick every 5 s from the first unstored minute into the last one.
  const last = close - MINUTE;
  for (let t = clock + 1000; t < last + 2000; t += 5000) {
    price = Math.round((price + Math.sin(t / 300_000)) * 20) / 20;
    volume += 37;
    clock = t;
    const wait = pipeline.accept([tick(t, price, volume)]);
    if (wait) await wait;
  }
  await pipeline.settle();
  pipeline.aggregator.closeDue(clock);
  await pipeline.settle();
  await pipeline.candles.flush();
  // Keep the open candle moving while the clients read (virtual time stays inside 15:29).
  let liveTicks = 0;
  const live = setInterval(() => {
    price = Math.round((price + (liveTicks % 2 ? 0.05 : -0.05)) * 20) / 20;
    volume += 1;
    clock = Math.min(clock + 10, close - 1);
    liveTicks++;
    void pipeline.accept([tick(clock, price, volume)]);
  }, Number(process.env.LIVE_TICK_MS ?? 100));

  let fallback: ((req: http.IncomingMessage, res: http.ServerResponse) => unknown) | undefined;
  let closeNext: (() => Promise<void>) | undefined;
  if (process.env.BENCH_NEXT === '1') {
    // The production Next.js build (NEXT_DIST_DIR or .next), as worker/host.ts serves it.
    const { default: next } = await import('next');
    const app = next({ dev: false, dir: path.resolve(import.meta.dirname, '../..') });
    await app.prepare();
    const handle = app.getRequestHandler();
    fallback = (req, res) => handle(req, res);
    closeNext = async () => void (await app.close?.());
  }
  const { server, port } = await serveHostRoutes(db, pipeline, { fallback });
  process.send!({
    ready: port,
    symbol: 'NSE:BENCHCANDLE',
    from: new Date(open).toISOString(),
    to: new Date(close).toISOString(),
    memory: pipeline.recent.size,
  });
  process.on('message', async (message: { stop?: boolean; cpu?: boolean }) => {
    if (message.cpu) return void process.send!({ cpu: process.cpuUsage() });
    if (!message.stop) return;
    clearInterval(live);
    server.close();
    await closeNext?.();
    await pipeline.stop({ timeoutMs: 5000, finalise: false });
    clearWebRuntime();
    await db.close();
    process.exit(0);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
