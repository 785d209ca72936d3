/**
 * Candle reads (issue 12 point 3): `GET /api/candles` for one session day of 1m candles (375
 * rows: the morning in the database, the rest in the worker's memory with the open candle still
 * ticking), served by a child process (test/bench/candles-server.ts: the real route handler and
 * web runtime); the clients run in this process over keep-alive HTTP:
 * - sequential: CANDLES_SEQUENTIAL (default 400) requests one after another after 20 warm-ups
 *   → `candles_1m_day_p95_ms` (p50 in the notes);
 * - concurrent: CANDLES_CONCURRENCY (default 50) loops for CANDLES_SECONDS (default 10 s)
 *   → `candles_concurrent_req_per_s` (p95, non-200 count and the server process's CPU per
 *   request, which a loaded machine inflates less than req/s, in the notes).
 * BENCH_NEXT=1 serves the route through the production Next.js build instead (see
 * candles-server.ts). Every response is checked: 200 with 375 candles (counted by a byte scan of the body, cheaper
 * than JSON.parse for a client sharing the 2 cores), else it counts as a failure; the first
 * response is parsed in full.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AreaResult, BenchArea, BenchContext } from './figures';
import { percentile } from './health';
import { httpGet } from './http-get';
import { benchDatabase } from './ticks';

const SEQUENTIAL = Number(process.env.CANDLES_SEQUENTIAL ?? 400);
const CONCURRENCY = Number(process.env.CANDLES_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.CANDLES_SECONDS ?? 10);
const EXPECTED = 375;

interface Ready {
  ready: number;
  symbol: string;
  from: string;
  to: string;
  memory: { rings: number; candles: number };
}

const CANDLE_MARK = Buffer.from('{"time":"');

/**
 * Candles in a 200 body: occurrences of `{"time":"` inside `"candles":[…]` (a byte scan, so the
 * client's CPU, on the same two cores as the server, stays small next to JSON.parse of 32 KB).
 */
function countCandles(body: Buffer): number {
  const start = body.indexOf('"candles":[');
  const end = body.indexOf('],"gaps"', start);
  if (start < 0 || end < 0) return -1;
  let n = 0;
  for (let at = body.indexOf(CANDLE_MARK, start); at >= 0 && at < end; at = body.indexOf(CANDLE_MARK, at + 1)) n++;
  return n;
}

/** One GET over `agent`: status, candle count (200 only) and elapsed ms. */
async function get(agent: http.Agent, port: number, pathname: string): Promise<{ status: number; candles: number; ms: number }> {
  const { status, body, ms } = await httpGet(agent, `http://127.0.0.1:${port}${pathname}`);
  return { status, candles: status === 200 ? countCandles(body) : 0, ms };
}

const round = (v: number) => Math.round(v * 10) / 10;

async function run(context: BenchContext): Promise<AreaResult> {
  const dir = path.join(context.workDir, `candles-${context.backend.kind}`);
  mkdirSync(dir, { recursive: true });
  const serverDb = context.backend.kind === 'server' ? await benchDatabase(context, 'candles') : null;
  const child = fork(path.join(import.meta.dirname, 'candles-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      CANDLES_DIR: dir,
      ...(serverDb?.url ? { BENCH_SERVER_DB_URL: serverDb.url } : {}),
      // Next's route guard knows PORT, not the child's ephemeral port: allow the loopback host.
      ...(process.env.BENCH_NEXT === '1' ? { NODE_ENV: 'production', ALLOWED_HOSTS: '127.0.0.1' } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (m: Ready) => resolve(m));
      child.once('exit', (code) => reject(new Error(`candles server exited (${code})`)));
    });
    const pathname = `/api/candles?symbol=${encodeURIComponent(ready.symbol)}&timeframe=1m&from=${encodeURIComponent(ready.from)}&to=${encodeURIComponent(ready.to)}`;
    let failures = 0;
    const check = (r: { status: number; candles: number }) => {
      if (r.status !== 200 || r.candles !== EXPECTED) failures++;
    };
    const first = await fetch(`http://127.0.0.1:${ready.ready}${pathname}`);
    const parsed = (await first.json()) as { candles: unknown[] };
    if (first.status !== 200 || parsed.candles.length !== EXPECTED) throw new Error(`first read: status ${first.status}, ${parsed.candles.length} candles (expected ${EXPECTED})`);
    for (let i = 0; i < 20; i++) check(await get(agent, ready.ready, pathname));
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const r = await get(agent, ready.ready, pathname);
      check(r);
      sequential.push(r.ms);
    }
    sequential.sort((a, b) => a - b);
    const seqP50 = round(percentile(sequential, 50));
    const seqP95 = round(percentile(sequential, 95));
    context.log(`candles sequential: ${SEQUENTIAL} requests, p50 ${seqP50} ms, p95 ${seqP95} ms`);

    const cpuUsage = () =>
      new Promise<NodeJS.CpuUsage>((resolve) => {
        const listen = (m: { cpu?: NodeJS.CpuUsage }) => {
          if (!m.cpu) return;
          child.off('message', listen);
          resolve(m.cpu);
        };
        child.on('message', listen);
        child.send({ cpu: true });
      });
    const concurrent: number[] = [];
    const cpuBefore = await cpuUsage();
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    let concurrentFailures = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const r = await get(agent, ready.ready, pathname);
          if (r.status !== 200 || r.candles !== EXPECTED) concurrentFailures++;
          concurrent.push(r.ms);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = await cpuUsage();
    const serverCpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
    const cpuPerRequest = serverCpuMs / Math.max(1, concurrent.length);
    concurrent.sort((a, b) => a - b);
    const perSecond = Math.round((concurrent.length - concurrentFailures) / elapsed);
    const p95 = round(percentile(concurrent, 95));
    context.log(`candles concurrent: ${concurrent.length} requests in ${elapsed.toFixed(1)} s, ${perSecond} ok req/s, p95 ${p95} ms, ${concurrentFailures} failed`);
    return {
      figures: { candles_1m_day_p95_ms: seqP95, candles_concurrent_req_per_s: perSecond },
      notes: {
        'candles sequential': `${SEQUENTIAL} × 1m one day (${EXPECTED} candles, ${EXPECTED - ready.memory.candles > 0 ? 'morning from the database, the rest from memory' : 'memory'}, open candle ticking): p50 ${seqP50} ms, p95 ${seqP95} ms, ${failures} failed`,
        'candles concurrent': `${CONCURRENCY} loops × ${SECONDS} s: ${concurrent.length} requests, p50 ${round(percentile(concurrent, 50))} ms, p95 ${p95} ms, ${concurrentFailures} failed (429 or wrong body); server process CPU ${(cpuPerRequest * 1000).toFixed(0)} µs per request (${Math.round(serverCpuMs / 10 / elapsed)}% of a core, live pipeline included), the clients share the same cores`,
      },
    };
  } finally {
    agent.destroy();
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

export const candlesArea: BenchArea = { id: 'candles', keys: ['candles_1m_day_p95_ms', 'candles_concurrent_req_per_s'], run };
