/**
 * Health under load (issue 12 point 1): `/api/health` p99 while the server process ingests a
 * replay at max speed and serves heavy candle reads. The server is a child process
 * (test/bench/health-server.ts: the host's request listener as in `npm start`, the same
 * event-loop arrangement as the single-process host); the health probe loop runs in this
 * process (one keep-alive connection, one request in flight, a new one every
 * HEALTH_INTERVAL_MS, default 20 ms) and the load in a third (test/bench/health-load.ts:
 * HEALTH_LOAD_CONCURRENCY, default 200, the figure, loops of `GET /api/candles` of 1m
 * candles of one of 20 instruments over 31 days, served by the app's route), for
 * HEALTH_SECONDS (default 15 s) from the moment the load's connections are open →
 * `health_p99_ms_under_load`. The notes add the load's answers, the server's event-loop delay
 * (p99, max) and GC pauses over the same span: what stalls the serving thread.
 * EMBEDDED_DB_THREAD=0 gives the "before" figure (PGlite on the serving thread).
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import type { BenchArea, BenchContext } from './figures';
import { HISTORY_END, HISTORY_INSTRUMENTS, HISTORY_START, HISTORY_SYMBOL } from './health-constants';
import { httpGet } from './http-get';
import { benchDatabase, generateTicks } from './ticks';

const SECONDS = Number(process.env.HEALTH_SECONDS ?? 15);
const INTERVAL_MS = Number(process.env.HEALTH_INTERVAL_MS ?? 20);
const CONCURRENCY = Number(process.env.HEALTH_LOAD_CONCURRENCY ?? 200);
const TICKS = Number(process.env.HEALTH_TICKS ?? 500_000);

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(context: BenchContext) {
  const file = path.join(context.workDir, 'health-ticks.csv');
  writeFileSync(file, `${MARKETDESK_HEADER}\n${generateTicks(TICKS).map((t) => formatMarketdeskCsvRow(t)).join('\n')}\n`);
  const dir = path.join(context.workDir, `health-${context.backend.kind}`);
  mkdirSync(dir, { recursive: true });
  const serverDb = context.backend.kind === 'server' ? await benchDatabase(context, 'health') : null;
  const serverUrl = serverDb?.url;
  const child = fork(path.join(import.meta.dirname, 'health-server.ts'), [], {
    // HEALTH_CPU_PROF=<dir>: V8 CPU profiles of the server's threads, to see what stalls it.
    execArgv: ['--import', 'tsx', ...(process.env.HEALTH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HEALTH_CPU_PROF}`] : [])],
    env: { ...process.env, HEALTH_DIR: dir, HEALTH_TICKS_FILE: file, ...(serverUrl ? { BENCH_SERVER_DB_URL: serverUrl } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { ready: port, candlesPerRequest } = await new Promise<{ ready: number; candlesPerRequest: number }>((resolve, reject) => {
      child.once('message', (m: { ready: number; candlesPerRequest: number }) => resolve(m));
      child.once('exit', (code) => reject(new Error(`health server exited (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    // The load clients run in a process of their own (test/bench/health-load.ts), not beside the
    // probe; it says `{ ready }` once booted, so the measured span starts with the load.
    const loader = fork(path.join(import.meta.dirname, 'health-load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const loaderExit = new Promise<never>((_, reject) => loader.once('exit', (code) => reject(new Error(`health load process exited (${code})`))));
    await Promise.race([new Promise((resolve) => loader.once('message', resolve)), loaderExit]);
    const messageOf = <T>(test: (m: T) => boolean) =>
      Promise.race([new Promise<T>((resolve) => loader.on('message', (m: T) => test(m) && resolve(m))), loaderExit]);
    const warm = messageOf<{ warm?: boolean; warmMs: number }>((m) => m.warm === true);
    const loadDone = messageOf<{ loads: number; statuses: Record<number, number> }>((m) => 'loads' in m);
    const range = `timeframe=1m&from=${new Date(HISTORY_START).toISOString()}&to=${new Date(HISTORY_END).toISOString()}`;
    const paths = Array.from({ length: HISTORY_INSTRUMENTS }, (_, i) => `/api/candles?symbol=NSE:${HISTORY_SYMBOL}${i}&${range}`);
    loader.send({ base, concurrency: CONCURRENCY, seconds: SECONDS, paths });
    // The measured span starts once the load clients hold their connections (health-load.ts).
    const { warmMs } = await warm;
    child.send({ measure: true });
    const deadline = performance.now() + SECONDS * 1000;
    const health: number[] = [];
    let failures = 0;
    // The monitor holds one keep-alive connection, as a scraper does (./http-get.ts).
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const probeLoop = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const res = await httpGet(probeAgent, `${base}/api/health`);
        health.push(res.ms);
        if (res.status !== 200) failures++;
        const wait = INTERVAL_MS - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    };
    const [, load] = await Promise.all([probeLoop(), loadDone]);
    type GcSummary = { count: number; totalMs: number; maxMs: number };
    type Report = { loop: { p99Ms: number; maxMs: number }; dbReads: number; bodiesBuilt: number; gc: { minor: GcSummary; major: GcSummary } };
    const { loop, dbReads, bodiesBuilt, gc } = await new Promise<Report>((resolve) => {
      child.once('message', (m: Report) => resolve(m));
      child.send({ report: true });
    });
    const statuses = Object.entries(load.statuses).map(([status, n]) => `${n} × ${status}`).join(', ');
    const sorted = [...health].sort((a, b) => a - b);
    const last = (await (await fetch(`${base}/api/health`)).json()) as { worker: { pipeline: { ticksWritten: number } } };
    const p99 = Math.round(percentile(sorted, 99) * 10) / 10;
    context.log(`health: ${health.length} probes, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99} ms, max ${sorted.at(-1)?.toFixed(0)} ms`);
    return {
      figures: { health_p99_ms_under_load: p99 },
      notes: {
        'health under load': `${health.length} probes every ${INTERVAL_MS} ms for ${SECONDS} s: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99} ms, max ${sorted.at(-1)?.toFixed(0)} ms, ${failures} non-200; load: ingest at max speed (${last.worker.pipeline.ticksWritten.toLocaleString('en-US')} ticks written) + ${load.loads} GET /api/candles 1m/31-day (${statuses}; ${candlesPerRequest.toLocaleString('en-US')} stored candles per instrument, the route's newest 5,000 sent; ${CONCURRENCY} concurrent over ${HISTORY_INSTRUMENTS} instruments; ${dbReads} database reads, ${bodiesBuilt} bodies built); the load's ${CONCURRENCY} connections opened in ${(warmMs / 1000).toFixed(1)} s before the span; server event-loop delay p99 ${loop.p99Ms.toFixed(0)} ms, max ${loop.maxMs.toFixed(0)} ms; its GC pauses: ${gc.minor.count} minor (${gc.minor.totalMs} ms, longest ${gc.minor.maxMs}), ${gc.major.count} major (${gc.major.totalMs} ms, longest ${gc.major.maxMs}); database ${context.backend.kind === 'server' ? 'server' : process.env.EMBEDDED_DB_THREAD === '0' ? 'embedded in-process (before)' : 'embedded on its thread'}`,
      },
    };
  } finally {
    if (child.connected) child.send({ stop: true });
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(null);
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 15_000);
      child.once('exit', () => resolve(clearTimeout(timer)));
    });
    await serverDb?.drop();
  }
}

export const healthArea: BenchArea = { id: 'health', keys: ['health_p99_ms_under_load'], run };
