/**
 * Bench areas of issue 12 points 2, 5 and 6 for `npm run bench` (test/bench/areas.ts lists
 * them; the shape is test/bench/figures.ts BenchArea, written structurally here). None of them
 * uses the database, so they run once (embedded backend only).
 * - fanout: test/bench/fanout.ts (1,000 clients × 20 symbols, CONFLATE_MS from the environment
 *   or 250, FANOUT_SECONDS default 20), then again at FANOUT_ALSO_CONFLATE (100; 0 skips) as a note.
 * - scanner: test/bench/scanner.ts (5,000 instruments, 10 rescans).
 * - churn: test/bench/churn.ts (1,000 clients per round for CHURN_SECONDS, default 600: the
 *   issue's 10 minutes, after CHURN_WARMUP_SECONDS, default 60; shorter runs only show
 *   allocator noise, docs/operations.md).
 */
import { runChurn } from './churn';
import { runFanout } from './fanout';
import { runScanner } from './scanner';

type Context = { log(line: string): void };
const fixed = (n: number) => String(n);

export const fanoutArea = {
  id: 'fanout',
  keys: ['fanout_clients', 'conflate_ms', 'fanout_p99_ms', 'fanout_cpu_percent'] as const,
  backends: ['embedded'] as const,
  async run(context: Context) {
    context.log('fan-out: 1,000 Socket.IO clients × 20 symbols against the realtime child process');
    const seconds = Number(process.env.FANOUT_SECONDS ?? 20);
    const r = await runFanout({ conflateMs: Number(process.env.CONFLATE_MS ?? 250), seconds });
    // The aim holds for any interval: a second, shorter one as a note (FANOUT_ALSO_CONFLATE=0 skips it).
    const also = Number(process.env.FANOUT_ALSO_CONFLATE ?? 100);
    const other = also > 0 && also !== r.conflate_ms ? await runFanout({ conflateMs: also, seconds }) : null;
    return {
      figures: { fanout_clients: r.fanout_clients, conflate_ms: r.conflate_ms, fanout_p99_ms: r.fanout_p99_ms, fanout_cpu_percent: r.fanout_cpu_percent },
      notes: {
        'fan-out p50 (ms)': fixed(r.fanout_p50_ms),
        'fan-out encodes per interval / subscription sets': `${r.encodes_per_interval} / ${r.subscription_sets}`,
        'fan-out flush p99 / max (ms, server side)': `${r.flush_p99_ms} / ${r.flush_max_ms}`,
        'fan-out delivered (ticks/s, messages/s)': `${r.fanout_ticks_per_s}, ${r.fanout_messages_per_s}`,
        ...(other && {
          [`fan-out at CONFLATE_MS ${other.conflate_ms}: p50 / p99 (ms, aim ≤ ${other.conflate_ms + 100}), CPU %, messages/s`]:
            `${other.fanout_p50_ms} / ${other.fanout_p99_ms}, ${other.fanout_cpu_percent}, ${other.fanout_messages_per_s}`,
        }),
      },
    };
  },
};

export const scannerArea = {
  id: 'scanner',
  keys: ['scanner_rescan_ms_5000'] as const,
  backends: ['embedded'] as const,
  async run(context: Context) {
    context.log('scanner: 5,000 instruments, full rescans');
    const r = await runScanner();
    return {
      figures: { scanner_rescan_ms_5000: r.scanner_rescan_ms_5000 },
      notes: { 'scanner rescan p95 / CPU per rescan (ms)': `${r.scanner_rescan_p95_ms} / ${r.scanner_cpu_ms_per_rescan}` },
    };
  },
};

export const churnArea = {
  id: 'churn',
  keys: ['rss_growth_percent_churn'] as const,
  backends: ['embedded'] as const,
  async run(context: Context) {
    const seconds = Number(process.env.CHURN_SECONDS ?? 600);
    context.log(`churn: 1,000 clients connecting and disconnecting for ${seconds} s (the issue's 10 minutes is 600 s)`);
    const r = await runChurn({ seconds, warmupSeconds: Number(process.env.CHURN_WARMUP_SECONDS ?? 60) });
    return {
      figures: { rss_growth_percent_churn: r.rss_growth_percent_churn },
      notes: {
        'churn method': `baseline after ${r.warmup_seconds} s of warm-up rounds (${r.warmup_rounds}): the median of 3 readings, each once all clients are gone, ${r.settle_ms} ms idle and a forced GC, a round between them; end the same after the last rounds`,
        'churn RSS after the first round → end (MB), growth': `${r.rss_first_mb} → ${r.rss_end_mb}, ${r.rss_growth_percent_from_first_round} %`,
        'churn RSS start → mid → end (MB), rounds, seconds': `${r.rss_start_mb} → ${r.rss_mid_mb} → ${r.rss_end_mb}, ${r.rounds}, ${r.churn_seconds}`,
        'churn RSS through the run (MB; the first and last after GC, the others between rounds)': r.rss_series_mb.join(' '),
        'churn JS heap used / V8 heap total / external, start → end (MB)':
          `${r.heap_start_mb} → ${r.heap_end_mb} / ${r.heap_total_start_mb} → ${r.heap_total_end_mb} / ${r.external_start_mb} → ${r.external_end_mb}`,
        'churn per-socket state left (subscription sets, rooms, socket ids; handles start → end)':
          `${r.sets_left}, ${r.rooms_left}, ${r.sids_left}; ${r.handles_start} → ${r.handles_end}`,
      },
    };
  },
};
