/**
 * Flat memory under churn (issue 12 point 6): 1,000 Socket.IO clients connect, subscribe to 20
 * simulator symbols + 1m candles, receive for a moment and disconnect, round after round, for
 * `--seconds` (default 120; the 10 minutes is `--seconds 600`), against the realtime
 * child process of test/bench/fanout-server.ts (run with --expose-gc). RSS is read after a
 * forced GC once a first warm-up round has run (start) and after the last round (end).
 *
 *   npx tsx test/bench/churn.ts [--clients 1000] [--seconds 120]
 *
 * Prints one JSON line: rss_growth_percent_churn, rss_start_mb, rss_end_mb, heap_start_mb,
 * heap_end_mb, rounds, sets_left (subscription sets still held at the end: 0 when nothing leaks).
 */
import { io as connect, type Socket } from 'socket.io-client';
import { startFanoutServer } from './fanout';

export interface ChurnResult {
  rss_growth_percent_churn: number;
  rss_start_mb: number;
  rss_end_mb: number;
  heap_start_mb: number;
  heap_end_mb: number;
  rounds: number;
  churn_seconds: number;
  sets_left: number;
}

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

export async function runChurn(options: { clients?: number; seconds?: number } = {}): Promise<ChurnResult> {
  const clients = options.clients ?? 1000;
  const seconds = options.seconds ?? 120;
  const server = await startFanoutServer({}, ['--expose-gc']);
  try {
    await round(server.port, server.symbols, clients, 0);
    const waitEmpty = async () => {
      for (let i = 0; i < 100 && (await server.stats()).clients > 0; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await waitEmpty();
    const start = await server.stats(true);
    const deadline = Date.now() + seconds * 1000;
    let rounds = 0;
    while (Date.now() < deadline) {
      await round(server.port, server.symbols, clients, ++rounds);
    }
    await waitEmpty();
    const end = await server.stats(true);
    const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
    return {
      rss_growth_percent_churn: Math.round(((end.rss - start.rss) / start.rss) * 1000) / 10,
      rss_start_mb: mb(start.rss),
      rss_end_mb: mb(end.rss),
      heap_start_mb: mb(start.heapUsed),
      heap_end_mb: mb(end.heapUsed),
      rounds,
      churn_seconds: seconds,
      sets_left: end.sets,
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
  runChurn({ clients: Number(arg('clients', '1000')), seconds: Number(arg('seconds', '120')) }).then(
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
