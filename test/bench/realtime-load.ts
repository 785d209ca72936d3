/**
 * Load on one realtime node (docs/scaling.md): a TimescaleDB server, the worker (simulator feed,
 * REALTIME_ADAPTER=postgres) and one realtime node as child processes; N socket.io clients in
 * this process (a separate process from the servers), each subscribed to S symbols and 1m
 * candles of the simulator, on the node (default) or on the worker itself (`--target worker`).
 *
 *   npx tsx test/bench/realtime-load.ts [--clients 1000] [--symbols 20] [--seconds 30] [--target node|worker]
 *
 * Database: BENCH_DATABASE_URL when set, else a server started from ../shared/timescaledb and
 * stopped at the end. Prints one JSON object: clients, symbols, seconds, messages/s, ticks/s and
 * candles/s delivered (all clients together), tick latency p50/p99 in ms (receive time − the
 * simulator's exchange time, which is the wall clock: conflation included), and the CPU of the
 * node, the worker and this client process in % of one core over the measured window.
 * A report, not a test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const CLIENTS = Number(arg('clients', '1000'));
const SYMBOLS = Number(arg('symbols', '20'));
const SECONDS = Number(arg('seconds', '30'));
const TARGET = arg('target', 'node');
const TSDB = path.resolve('../shared/timescaledb');
const TICKS_PER_SECOND = 100; // clock ticks (USER_HZ) on Linux

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process, seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function child(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function main(): Promise<void> {
  let url = process.env.BENCH_DATABASE_URL;
  const pgDir = path.join(tmpdir(), `md-bench-pg-${process.pid}`);
  if (!url) {
    const started = spawnSync('bash', [path.join(TSDB, 'start-server.sh'), pgDir, String(await freePort())], { encoding: 'utf8' });
    url = /DATABASE_URL=(\S+)/.exec(started.stdout)?.[1];
    if (!url) throw new Error(`start-server.sh failed: ${started.stderr}`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'md-bench-worker-'));
  const [workerPort, nodePort] = [await freePort(), await freePort()];
  const shared = { DATABASE_URL: url, REALTIME_ADAPTER: 'postgres', REALTIME_CHANNEL: `bench_${process.pid}` };
  const worker = child('worker/index.ts', { ...shared, DATA_DIR: dataDir, FEED: 'simulator', WORKER_PORT: String(workerPort) });
  const node = child('worker/realtime/node.ts', { ...shared, REALTIME_PORT: String(nodePort) });
  const sockets: Socket[] = [];
  try {
    await until('worker', async () => (await fetch(`http://127.0.0.1:${workerPort}/health`)).ok);
    await until('node synced', async () => ((await (await fetch(`http://127.0.0.1:${nodePort}/health`)).json()) as { syncs: number }).syncs > 0);
    const scan = (await (await fetch(`http://127.0.0.1:${workerPort}/scanner?preset=all&limit=500`)).json()) as { rows: { symbol: string }[] };
    const universe = scan.rows.map((r) => r.symbol);
    const target = `http://127.0.0.1:${TARGET === 'worker' ? workerPort : nodePort}`;

    let messages = 0;
    let ticks = 0;
    let candles = 0;
    let measuring = false;
    const latencies: number[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(target, { transports: ['websocket'], reconnection: false, forceNew: true });
      const symbols = Array.from({ length: SYMBOLS }, (_, k) => universe[(i * 7 + k) % universe.length]);
      socket.on('ticks', (batch: { exchangeTime: number }[]) => {
        if (!measuring) return;
        messages++;
        ticks += batch.length;
        const now = Date.now();
        if (i % 10 === 0) for (const t of batch) latencies.push(now - t.exchangeTime);
      });
      socket.on('candle', () => {
        if (measuring) candles++;
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.emit('subscribe', { symbols, timeframes: ['1m'] }, () => resolve());
      });
      sockets.push(socket);
    }
    measuring = true;
    const cpu0 = { node: cpuSeconds(node.pid!), worker: cpuSeconds(worker.pid!), self: process.cpuUsage() };
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const elapsed = (Date.now() - t0) / 1000;
    measuring = false;
    const self = process.cpuUsage(cpu0.self);
    latencies.sort((a, b) => a - b);
    console.log(JSON.stringify({
      target: TARGET,
      clients: CLIENTS,
      symbolsPerClient: SYMBOLS,
      universe: universe.length,
      seconds: Math.round(elapsed),
      messagesPerSecond: Math.round(messages / elapsed),
      ticksPerSecond: Math.round(ticks / elapsed),
      candlesPerSecond: Math.round(candles / elapsed),
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      nodeCpuPercent: Math.round(((cpuSeconds(node.pid!) - cpu0.node) / elapsed) * 100),
      workerCpuPercent: Math.round(((cpuSeconds(worker.pid!) - cpu0.worker) / elapsed) * 100),
      clientProcessCpuPercent: Math.round(((self.user + self.system) / 1e6 / elapsed) * 100),
      nodeRssMb: Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${node.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024),
    }));
  } finally {
    for (const socket of sockets) socket.close();
    node.kill('SIGTERM');
    worker.kill('SIGTERM');
    await Promise.all([node, worker].map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    if (!process.env.BENCH_DATABASE_URL) spawnSync('bash', [path.join(TSDB, 'stop-server.sh'), pgDir]);
    rmSync(pgDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
