/**
 * Health under load (issue 12 point 1): `/api/health` p99 while the server process ingests a
 * replay at max speed and serves heavy candle queries. The server is a child process
 * (test/bench/health-server.ts, the same event-loop arrangement as the single-process host);
 * the health probe loop runs in this process (one request in flight, a new one every
 * HEALTH_INTERVAL_MS, default 20 ms) and the load in a third (test/bench/health-load.ts:
 * HEALTH_LOAD_CONCURRENCY, default 200, the figure, loops of `/load/candles` requests,
 * 1m candles of one instrument over 31 days), for
 * HEALTH_SECONDS (default 15 s) → `health_p99_ms_under_load`. The notes add the server's own
 * event-loop delay (p99, max) over the same span: what stalls the serving thread.
 * EMBEDDED_DB_THREAD=0 gives the "before" figure (PGlite on the serving thread).
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import type { BenchArea, BenchContext } from './figures';
import { HISTORY_INSTRUMENTS, HISTORY_TOKEN } from './health-constants';
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
    const loadDone = Promise.race([new Promise<{ loads: number; failures: number }>((resolve) => loader.once('message', (m: { loads: number; failures: number }) => resolve(m))), loaderExit]);
    const deadline = performance.now() + SECONDS * 1000;
    const health: number[] = [];
    let failures = 0;
    let loads = 0;
    const probeLoop = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/health`);
        await res.text();
        health.push(performance.now() - t0);
        if (!res.ok) failures++;
        const wait = INTERVAL_MS - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    };
    child.send({ measure: true });
    loader.send({ base, concurrency: CONCURRENCY, seconds: SECONDS, firstToken: HISTORY_TOKEN, instruments: HISTORY_INSTRUMENTS });
    const [, load] = await Promise.all([probeLoop(), loadDone]);
    loads = load.loads;
    failures += load.failures;
    const loop = await new Promise<{ p99Ms: number; maxMs: number }>((resolve) => {
      child.once('message', (m: { loop: { p99Ms: number; maxMs: number } }) => resolve(m.loop));
      child.send({ report: true });
    });
    const sorted = [...health].sort((a, b) => a - b);
    const last = (await (await fetch(`${base}/api/health`)).json()) as { pipeline: { written: number } };
    const p99 = Math.round(percentile(sorted, 99) * 10) / 10;
    context.log(`health: ${health.length} probes, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99} ms, max ${sorted.at(-1)?.toFixed(0)} ms`);
    return {
      figures: { health_p99_ms_under_load: p99 },
      notes: {
        'health under load': `${health.length} probes every ${INTERVAL_MS} ms for ${SECONDS} s: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99} ms, max ${sorted.at(-1)?.toFixed(0)} ms, ${failures} non-200; load: ingest at max speed (${last.pipeline.written.toLocaleString('en-US')} ticks written) + ${loads} 1m/31-day candle requests (${candlesPerRequest.toLocaleString('en-US')} candles each, ${CONCURRENCY} concurrent); server event-loop delay p99 ${loop.p99Ms.toFixed(0)} ms, max ${loop.maxMs.toFixed(0)} ms; database ${context.backend.kind === 'server' ? 'server' : process.env.EMBEDDED_DB_THREAD === '0' ? 'embedded in-process (before)' : 'embedded on its thread'}`,
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
