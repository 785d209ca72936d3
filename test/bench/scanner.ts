/**
 * Scanner at scale (issue 12 point 5): 5,000 instruments ticking once a second; a full rescan =
 * every preset (lib/market/scanner.ts SCANNER_PRESETS) on 1m and on 1d, limit 50 each, as the
 * desk asks them. No database: history arrives as closed candles (100 × 1m and 60 × 1d per
 * instrument, through Scanner.onClosedCandle, as the pipeline delivers them), then each second
 * one tick per instrument (onTicks) and, between seconds, a timed rescan.
 *
 *   npx tsx test/bench/scanner.ts [--instruments 5000] [--seconds 10]
 *
 * Prints a table and one JSON line: scanner_rescan_ms_5000 (median rescan, ms), p95 and max,
 * scanner_cpu_ms_per_rescan (process CPU during rescans / rescans), tick_batch_ms (applying the
 * 5,000 ticks of one second), and instruments. Exported `runScanner()` for test/bench/run.ts.
 */
import type { Database } from '@/lib/db/client';
import { SCANNER_PRESETS } from '@/lib/market/scanner';
import type { Candle, Tick } from '@/lib/market/tick';
import { TIMEFRAME_MS, type Timeframe } from '@/lib/market/timeframes';
import { Scanner } from '@/worker/scanner/scanner';

export interface ScannerBenchResult {
  instruments: number;
  scanner_rescan_ms_5000: number;
  scanner_rescan_p95_ms: number;
  scanner_rescan_max_ms: number;
  scanner_cpu_ms_per_rescan: number;
  tick_batch_ms: number;
}

const DAY_START = Date.parse('2026-01-05T09:15:00+05:30');

export async function runScanner(options: { instruments?: number; seconds?: number } = {}): Promise<ScannerBenchResult> {
  const count = options.instruments ?? 5000;
  const seconds = options.seconds ?? 10;
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const open = new Map<string, Candle>();
  // The database is only used by the warm-start loop, which this bench does not start.
  const scanner = new Scanner({ db: {} as Database, openCandles: { current: (token, tf) => open.get(`${token}:${tf}`) }, now: () => DAY_START });
  const prices = Array.from({ length: count }, (_, i) => 100 + (i % 500) * 3);
  const volumes = new Array<number>(count).fill(0);
  const symbol = (i: number) => `SCAN${i}`;
  const tickOf = (i: number, time: number): Tick => {
    prices[i] = Math.max(1, Math.round(prices[i] * (1 + (random() - 0.5) * 0.004) * 20) / 20);
    volumes[i] += 1 + Math.floor(random() * 1000);
    return {
      instrumentToken: 10_000 + i, exchange: 'NSE', tradingsymbol: symbol(i), exchangeTime: time, ltp: prices[i], lastQuantity: 10,
      volume: volumes[i], averagePrice: prices[i], oi: null, bidPrice: prices[i] - 0.05, bidQuantity: 10, askPrice: prices[i] + 0.05, askQuantity: 10,
      feed: 'simulator', prevClose: 100 + (i % 500) * 3,
    } as Tick;
  };
  const candle = (i: number, timeframe: Timeframe, bucket: number): Candle => {
    const close = prices[i] * (1 + (random() - 0.5) * 0.01);
    return {
      instrumentToken: 10_000 + i, symbol: `NSE:${symbol(i)}`, timeframe, bucket, open: close * 0.999, high: close * 1.003, low: close * 0.997, close,
      volume: 1000 + Math.floor(random() * 10_000), oi: null, closed: true,
    } as Candle;
  };
  // First tick creates each instrument's state; then history as closed candles.
  scanner.onTicks(Array.from({ length: count }, (_, i) => tickOf(i, DAY_START - 1)));
  for (let i = 0; i < count; i++) {
    for (let k = 60; k > 0; k--) scanner.onClosedCandle(candle(i, '1d', DAY_START - 555 * 60_000 - k * 86_400_000));
    for (let k = 100; k > 0; k--) scanner.onClosedCandle(candle(i, '1m', DAY_START + 100 * 60_000 - k * TIMEFRAME_MS['1m']));
  }
  const rescanMs: number[] = [];
  const batchMs: number[] = [];
  let cpuMicros = 0;
  for (let s = 0; s < seconds; s++) {
    const time = DAY_START + 100 * 60_000 + s * 1000;
    const ticks = Array.from({ length: count }, (_, i) => tickOf(i, time));
    for (const t of ticks) {
      for (const tf of ['1m', '1d'] as const) {
        open.set(`${t.instrumentToken}:${tf}`, { ...candle(t.instrumentToken - 10_000, tf, tf === '1m' ? time - (time % 60_000) : DAY_START - 555 * 60_000), closed: false, close: t.ltp });
      }
    }
    let t0 = performance.now();
    scanner.onTicks(ticks);
    batchMs.push(performance.now() - t0);
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    for (const timeframe of ['1m', '1d'] as const) {
      for (const preset of SCANNER_PRESETS) scanner.scan({ preset, timeframe, limit: 50 });
    }
    rescanMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
  }
  const sorted = [...rescanMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    instruments: count,
    scanner_rescan_ms_5000: round(sorted[Math.floor(sorted.length / 2)]),
    scanner_rescan_p95_ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]),
    scanner_rescan_max_ms: round(sorted[sorted.length - 1]),
    scanner_cpu_ms_per_rescan: round(cpuMicros / 1000 / seconds),
    tick_batch_ms: round(batchMs.sort((a, b) => a - b)[Math.floor(batchMs.length / 2)]),
  };
}

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

if (import.meta.filename === process.argv[1]) {
  runScanner({ instruments: Number(arg('instruments', '5000')), seconds: Number(arg('seconds', '10')) }).then(
    (result) => {
      console.table(result);
      console.log(JSON.stringify(result));
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
