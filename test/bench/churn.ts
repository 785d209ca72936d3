/**
 * Flat memory under churn (issue 12 point 6): 1,000 Socket.IO clients connect, subscribe to 20
 * simulator symbols + 1m candles, receive for a moment and disconnect, round after round, for
 * `--seconds` (default 120; the 10 minutes is `--seconds 600`), against the realtime
 * child process of test/bench/fanout-server.ts (run with --expose-gc). RSS is read after the first
 * round (first), after `--warmup` seconds of rounds (default 60: start) and after the last round
 * (end; start and end each the median of three readings with a round between them), each time
 * once every client has gone, the process has been idle CHURN_SETTLE_MS
 * (default 5,000) and a forced GC has run: what the clients left behind, not the sockets still
 * closing (right after the last disconnect RSS read 151–218 MB in one run where the same process
 * settled at 142–163 MB within 3 s). Why a warm-up: RSS climbs ≈ 20 % over the first minute of
 * rounds (glibc's arenas reaching the working set of 1,000 sockets opening and closing; the JS
 * heap stays flat) and then holds; `rss_growth_percent_churn` is end vs start (the steady
 * state), `rss_growth_percent_from_first_round` end vs first.
 *
 *   npx tsx test/bench/churn.ts [--clients 1000] [--seconds 120] [--warmup 60]
 *
 * Prints one JSON line: rss_growth_percent_churn, rss_growth_percent_from_first_round, rss_first_mb, rss_start_mb, rss_end_mb, heap_start_mb,
 * heap_end_mb, rounds, sets_left (subscription sets still held at the end: 0 when nothing leaks).
 */
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { startFanoutServer } from './fanout';

export interface ChurnResult {
  rss_growth_percent_churn: number;
  /** End vs the first round's settled RSS (warm-up included). */
  rss_growth_percent_from_first_round: number;
  rss_first_mb: number;
  rss_start_mb: number;
  rss_end_mb: number;
  /** RSS at the middle of the run (after GC), MB: end vs middle tells a plateau from a leak. */
  rss_mid_mb: number;
  heap_start_mb: number;
  heap_end_mb: number;
  /** V8 heap reserved, external memory (Buffers etc.) at start and end, MB. */
  heap_total_start_mb: number;
  heap_total_end_mb: number;
  external_start_mb: number;
  external_end_mb: number;
  warmup_rounds: number;
  warmup_seconds: number;
  rounds: number;
  churn_seconds: number;
  settle_ms: number;
  sets_left: number;
  /** Socket.IO rooms and socket ids left, libuv handles at start → end (per-socket state must not grow). */
  rooms_left: number;
  sids_left: number;
  handles_start: number;
  handles_end: number;
  /** RSS after GC at about ten points of the run, MB (the first is the baseline). */
  rss_series_mb: number[];
}

/** Settled readings per end (median). */
const SAMPLES = 3;

const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;

async function round(port: number, universe: string[], clients: number, offset: number): Promise<void> {
  const sockets: Socket[] = [];
  const connectOne = async (i: number) => {
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
    sockets.push(socket);
    const symbols = Array.from({ length: 20 }, (_, k) => universe[(i * 7 + k + offset) % universe.length]);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.emit('subscribe', { symbols, timeframes: ['1m'] }, () => resolve());
    });
  };
  for (let i = 0; i < clients; i += 50) await Promise.all(Array.from({ length: Math.min(50, clients - i) }, (_, k) => connectOne(i + k)));
  await new Promise((r) => setTimeout(r, 300)); // one conflation interval or so of traffic
  for (const socket of sockets) socket.close();
}

/**
 * Run the churn loop against a fresh child. First: after one round, once every client has gone
 * and the process has settled (`settleMs` idle, then a forced GC); baseline: the median of three
 * such readings (a round between them) after `warmupSeconds` (default 60) more of rounds; end:
 * the same after the last round. Between them RSS is sampled after each round (not settled), so
 * the series shows whether RSS keeps rising (a leak) or levels off (allocator warm-up). With `snapshotDir`, heap
 * snapshots `start.heapsnapshot` and `end.heapsnapshot` are written there (compare in DevTools
 * or by constructor counts).
 */
export async function runChurn(options: { clients?: number; seconds?: number; warmupSeconds?: number; settleMs?: number; snapshotDir?: string } = {}): Promise<ChurnResult> {
  const clients = options.clients ?? 1000;
  const seconds = options.seconds ?? 120;
  const warmupSeconds = options.warmupSeconds ?? 60;
  const server = await startFanoutServer({}, ['--expose-gc']);
  try {
    const settleMs = options.settleMs ?? Number(process.env.CHURN_SETTLE_MS ?? 5000);
    const waitEmpty = async () => {
      for (let i = 0; i < 100 && (await server.stats()).clients > 0; i++) await new Promise((r) => setTimeout(r, 100));
    };
    /** Every client gone, then `settleMs` idle, then GC: the state the clients left. */
    const settled = async () => {
      await waitEmpty();
      await new Promise((r) => setTimeout(r, settleMs));
      return server.stats(true);
    };
    let rounds = 0;
    /**
     * The median of `SAMPLES` settled readings, a round between them: one settled reading still
     * lands anywhere in a ±15 % band (RSS 156–219 MB at the same point of two runs).
     */
    const settledMedian = async () => {
      const readings = [await settled()];
      while (readings.length < SAMPLES) {
        await round(server.port, server.symbols, clients, rounds++);
        readings.push(await settled());
      }
      return readings.sort((a, b) => a.rss - b.rss)[Math.floor(SAMPLES / 2)];
    };
    await round(server.port, server.symbols, clients, rounds++);
    const first = await settled();
    const warmUntil = Date.now() + warmupSeconds * 1000;
    while (Date.now() < warmUntil) await round(server.port, server.symbols, clients, rounds++);
    const warmupRounds = rounds;
    const start = warmupSeconds > 0 ? await settledMedian() : first;
    if (options.snapshotDir) await server.snapshot(path.join(options.snapshotDir, 'start.heapsnapshot'));
    const samples: { at: number; rss: number }[] = [{ at: 0, rss: start.rss }];
    const t0 = Date.now();
    const deadline = t0 + seconds * 1000;
    while (Date.now() < deadline) {
      await round(server.port, server.symbols, clients, rounds++);
      samples.push({ at: Date.now() - t0, rss: (await server.stats()).rss });
    }
    const end = await settledMedian();
    samples.push({ at: Date.now() - t0, rss: end.rss });
    if (options.snapshotDir) await server.snapshot(path.join(options.snapshotDir, 'end.heapsnapshot'));
    const mid = samples.find((s) => s.at >= (seconds * 1000) / 2) ?? samples[samples.length - 1];
    const series = Array.from({ length: 10 }, (_, k) => samples[Math.round((k * (samples.length - 1)) / 9)].rss).map(mb);
    return {
      rss_growth_percent_churn: Math.round(((end.rss - start.rss) / start.rss) * 1000) / 10,
      rss_growth_percent_from_first_round: Math.round(((end.rss - first.rss) / first.rss) * 1000) / 10,
      rss_first_mb: mb(first.rss),
      rss_start_mb: mb(start.rss),
      rss_mid_mb: mb(mid.rss),
      rss_end_mb: mb(end.rss),
      heap_start_mb: mb(start.heapUsed),
      heap_end_mb: mb(end.heapUsed),
      heap_total_start_mb: mb(start.heapTotal),
      heap_total_end_mb: mb(end.heapTotal),
      external_start_mb: mb(start.external),
      external_end_mb: mb(end.external),
      warmup_rounds: warmupRounds,
      warmup_seconds: warmupSeconds,
      rounds: rounds - warmupRounds,
      churn_seconds: seconds,
      settle_ms: settleMs,
      sets_left: end.sets,
      rooms_left: end.rooms,
      sids_left: end.sids,
      handles_start: start.handles,
      handles_end: end.handles,
      rss_series_mb: series,
    };
  } finally {
    await server.stop();
  }
}

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

if (import.meta.filename === process.argv[1]) {
  runChurn({
    clients: Number(arg('clients', '1000')),
    seconds: Number(arg('seconds', '120')),
    warmupSeconds: Number(arg('warmup', '60')),
    snapshotDir: arg('snapshots', '') || undefined,
  }).then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
