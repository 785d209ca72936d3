/**
 * Fan-out bench (issue 12 point 2): tick → client latency and the realtime process's CPU with
 * N Socket.IO clients × S simulator instruments. The server is a child process
 * (test/bench/fanout-server.ts: Socket.IO + simulator + aggregator + the worker's Broadcaster,
 * no database); the clients run in this process.
 *
 *   npx tsx test/bench/fanout.ts [--clients 1000] [--symbols 20] [--seconds 20] [--conflate 250] [--unique]
 *
 * Client i subscribes to S symbols of the simulator's universe, from position i × 7 (shared
 * lists, as a desk's watchlists), or with --unique a random list per client (every client its
 * own subscription set: the worst case for per-set encoding), plus their 1m candles.
 * Latency = receive time − tick exchange time (the simulator stamps the wall-clock instant it
 * creates the tick), so it includes the simulator's batch cadence (SIM_BATCH_MS, 25 ms), the
 * conflation wait (≤ CONFLATE_MS, worker/realtime/conflation.ts), the flush to every client and
 * this process's own queue (all 1,000 clients share its event loop: client_cpu_percent).
 * FANOUT_IMPL=before with a copy of an older broadcaster under test/bench/.before (not committed)
 * gives an A/B under the same machine load.
 * Prints a table and, last, one JSON line with fanout_clients, conflate_ms, fanout_p99_ms,
 * fanout_p50_ms, fanout_cpu_percent (child, % of one core), encodes_per_interval, sets.
 * Exported `runFanout()` for test/bench/run.ts. A report, not a test.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';

export interface FanoutResult {
  fanout_clients: number;
  conflate_ms: number;
  fanout_p50_ms: number;
  fanout_p99_ms: number;
  fanout_cpu_percent: number;
  fanout_ticks_per_s: number;
  fanout_messages_per_s: number;
  encodes_per_interval: number;
  subscription_sets: number;
  client_cpu_percent: number;
  /** Server-side duration of one conflation flush (deliver to every client), ms. */
  flush_p99_ms: number;
  flush_max_ms: number;
}

const CLOCK_TICKS = 100; // USER_HZ

/** utime + stime of a process, seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The child's counters and memory (bytes), test/bench/fanout-server.ts. */
export interface ServerStats {
  encodes: number;
  intervals: number;
  sets: number;
  clients: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  flushP99Ms: number;
  flushMaxMs: number;
  /** Socket.IO adapter rooms and socket ids, libuv handles: per-socket state (churn bench). */
  rooms: number;
  sids: number;
  handles: number;
}

export interface ServerChild {
  pid: number;
  port: number;
  symbols: string[];
  stats(gc?: boolean): Promise<ServerStats>;
  /** Write a heap snapshot of the child to `file` (after a forced GC when --expose-gc). */
  snapshot(file: string): Promise<string>;
  stop(): Promise<void>;
}

/** Start test/bench/fanout-server.ts as a child process. */
export async function startFanoutServer(env: Record<string, string>, execArgv: string[] = []): Promise<ServerChild> {
  const child = fork(path.join(import.meta.dirname, 'fanout-server.ts'), [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; symbols: string[] }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number; symbols: string[] }));
    child.once('exit', (code) => reject(new Error(`fanout server exited ${code}`)));
  });
  return {
    pid: child.pid!,
    port: ready.port,
    symbols: ready.symbols,
    stats: (gc = false) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { stats: ServerStats }).stats));
        child.send({ type: 'stats', gc });
      }),
    snapshot: (file) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { snapshot: string }).snapshot));
        child.send({ type: 'snapshot', file });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

export async function runFanout(options: { clients?: number; symbols?: number; seconds?: number; conflateMs?: number; unique?: boolean } = {}): Promise<FanoutResult> {
  const clients = options.clients ?? 1000;
  const perClient = options.symbols ?? 20;
  const seconds = options.seconds ?? 20;
  const conflateMs = options.conflateMs ?? 250;
  const server = await startFanoutServer({ CONFLATE_MS: String(conflateMs), FANOUT_IMPL: process.env.FANOUT_IMPL ?? '' });
  const sockets: Socket[] = [];
  try {
    const universe = server.symbols;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let measuring = false;
    let messages = 0;
    let ticks = 0;
    const latencies: number[] = [];
    for (let i = 0; i < clients; i++) {
      const socket = connect(`http://127.0.0.1:${server.port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
      const symbols = options.unique
        ? [...new Set(Array.from({ length: perClient * 3 }, () => universe[Math.floor(random() * universe.length)]))].slice(0, perClient)
        : Array.from({ length: perClient }, (_, k) => universe[(i * 7 + k) % universe.length]);
      socket.on('ticks', (batch: { exchangeTime: number }[]) => {
        if (!measuring) return;
        messages++;
        ticks += batch.length;
        if (i % 10 === 0) {
          const now = Date.now();
          for (const t of batch) latencies.push(now - t.exchangeTime);
        }
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.emit('subscribe', { symbols, timeframes: ['1m'] }, () => resolve());
      });
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 2000)); // settle after the connection burst
    const s0 = await server.stats();
    const cpu0 = cpuSeconds(server.pid);
    const self0 = process.cpuUsage();
    measuring = true;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    measuring = false;
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = (cpuSeconds(server.pid) - cpu0) / elapsed;
    const self = process.cpuUsage(self0);
    const s1 = await server.stats();
    latencies.sort((a, b) => a - b);
    return {
      fanout_clients: clients,
      conflate_ms: conflateMs,
      fanout_p50_ms: percentile(latencies, 50),
      fanout_p99_ms: percentile(latencies, 99),
      fanout_cpu_percent: Math.round(cpu * 100),
      fanout_ticks_per_s: Math.round(ticks / elapsed),
      fanout_messages_per_s: Math.round(messages / elapsed),
      encodes_per_interval: Math.round((s1.encodes - s0.encodes) / Math.max(1, s1.intervals - s0.intervals)),
      subscription_sets: s1.sets,
      client_cpu_percent: Math.round(((self.user + self.system) / 1e6 / elapsed) * 100),
      flush_p99_ms: s1.flushP99Ms,
      flush_max_ms: s1.flushMaxMs,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

if (import.meta.filename === process.argv[1]) {
  runFanout({
    clients: Number(arg('clients', '1000')),
    symbols: Number(arg('symbols', '20')),
    seconds: Number(arg('seconds', '20')),
    conflateMs: Number(arg('conflate', '250')),
    unique: process.argv.includes('--unique'),
  }).then(
    (result) => {
      console.table(result);
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
