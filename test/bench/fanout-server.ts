/**
 * Child process of the fan-out and churn benches (test/bench/fanout.ts, test/bench/churn.ts):
 * the realtime part of the worker alone, on 127.0.0.1: a Socket.IO server, the simulator feed
 * in real time (wall-clock exchange times), a CandleAggregator for open candles (6 timeframes,
 * open candles sent to `c:` rooms, closed ones at once) and the worker's Broadcaster with
 * CONFLATE_MS. No database: this isolates fan-out from SQL on the event loop (issue 12 point 1,
 * measured by the end-to-end bench).
 *
 * Env: CONFLATE_MS (default 250), SIM_BATCH_MS (simulator batch cadence, default the worker's,
 * DEFAULT_SIM_BATCH_MS). Run with --expose-gc for the churn bench.
 * IPC (process.send): first `{ ready, port, symbols }`; then answers `{ type: 'stats' }` with
 * `{ stats: { encodes, intervals, sets, clients, rss, heapUsed, heapTotal, external,
 * arrayBuffers, flushP99Ms, flushMaxMs, rooms, sids, handles } }` (bytes; after a forced GC when `gc: true` is asked
 * and available) and `{ type: 'snapshot', file }` with `{ snapshot: path }` once a heap
 * snapshot (after a forced GC) is written there (churn bench, `--snapshots DIR`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { Server } from 'socket.io';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import { symbolOf } from '@/lib/market/tick';
import { CandleAggregator } from '@/worker/pipeline/aggregator';
import { Broadcaster as CurrentBroadcaster, type RealtimeServer } from '@/worker/realtime/broadcaster';
import { createSimulatorFeed, DEFAULT_SIM_BATCH_MS } from '@/worker/sources/simulator/simulator';

const CONFLATE_MS = Number(process.env.CONFLATE_MS ?? 250);
const SIM_BATCH_MS = process.env.SIM_BATCH_MS ? Number(process.env.SIM_BATCH_MS) : DEFAULT_SIM_BATCH_MS;

/** FANOUT_IMPL=before: a copy of the previous fan-out under test/bench/.before (before/after figures; not committed). */
async function broadcasterClass(): Promise<typeof CurrentBroadcaster> {
  if (process.env.FANOUT_IMPL !== 'before') return CurrentBroadcaster;
  const module = (await import(path.join(import.meta.dirname, '.before', 'broadcaster.ts'))) as { Broadcaster: typeof CurrentBroadcaster };
  return module.Broadcaster;
}

async function main(): Promise<void> {
  const Broadcaster = await broadcasterClass();
  const http = createServer();
  const io: RealtimeServer = new Server(http, { serveClient: false });
  let broadcaster: InstanceType<typeof CurrentBroadcaster> | undefined;
  const aggregator = new CandleAggregator({ timeframes: TIMEFRAMES, onClose: (candle) => broadcaster?.onClosedCandle(candle) });
  broadcaster = new Broadcaster(io, aggregator, CONFLATE_MS);
  // Time each conflation flush (deliver to every client): its p99/max are reported with the stats.
  const flushMs: number[] = [];
  const flush = broadcaster.flush.bind(broadcaster);
  broadcaster.flush = () => {
    const t0 = performance.now();
    flush();
    if (flushMs.length < 100_000) flushMs.push(performance.now() - t0);
  };
  broadcaster.start();
  const feed = createSimulatorFeed({ batchWindowMs: SIM_BATCH_MS });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const stop = new AbortController();
  const closer = setInterval(() => aggregator.closeDue(Date.now()), 250);
  void (async () => {
    for await (const batch of feed.ticks(stop.signal)) {
      for (const tick of batch) aggregator.apply(tick);
      broadcaster.onTicks(batch);
    }
  })();
  process.on('message', (message: { type: string; gc?: boolean; file?: string }) => {
    if (message.type === 'snapshot' && message.file) {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ snapshot: writeHeapSnapshot(message.file) });
      return;
    }
    if (message.type !== 'stats') return;
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    const fanOut = broadcaster.fanOutStats ?? { encodes: NaN, intervals: NaN, sets: NaN };
    const sorted = flushMs.splice(0).sort((a, b) => a - b);
    const flushP99Ms = sorted.length ? Math.round(sorted[Math.floor(sorted.length * 0.99)] * 10) / 10 : 0;
    const flushMaxMs = sorted.length ? Math.round(sorted[sorted.length - 1] * 10) / 10 : 0;
    process.send?.({ stats: { ...fanOut, flushP99Ms, flushMaxMs, clients: broadcaster.clients, rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers,
      // Per-socket state that must be gone once every client left: adapter rooms and socket ids, libuv handles.
      rooms: io.of('/').adapter.rooms.size, sids: io.of('/').adapter.sids.size, handles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length } });
  });
  process.on('SIGTERM', () => {
    stop.abort();
    clearInterval(closer);
    broadcaster.stop();
    io.close(() => process.exit(0));
  });
  process.send?.({ ready: true, port: (http.address() as AddressInfo).port, symbols: feed.instruments().map((i) => symbolOf(i)) });
}

void main();
