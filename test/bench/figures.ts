/**
 * The figures `npm run bench` reports (issue 12 "Benchmark"): one key per figure, its unit and
 * its aim. Every key appears in the `--json` line, null when no area measured it.
 *
 * How an area adds figures: a module under test/bench/ exports a `BenchArea` (id, the keys it
 * fills, `run(context)` resolving to those figures, each a number or null) and is listed in
 * test/bench/areas.ts. Extra rows for the table only (ratios, details) go in `notes`.
 */

/** Keys of the `--json` object, in print order. */
export const FIGURE_KEYS = [
  'ingest_ticks_per_s',
  'copy_ceiling_ticks_per_s',
  'per_row_ticks_per_s',
  'aggregator_ticks_per_s',
  'fanout_clients',
  'conflate_ms',
  'fanout_p99_ms',
  'fanout_cpu_percent',
  'health_p99_ms_under_load',
  'candles_1m_day_p95_ms',
  'candles_concurrent_req_per_s',
  'scanner_rescan_ms_5000',
  'rss_growth_percent_churn',
] as const;

export type FigureKey = (typeof FIGURE_KEYS)[number];
export type Figures = Record<FigureKey, number | null>;

/** What a figure is and what it should be. `holds(value, all)` → true when the aim is met. */
export interface FigureSpec {
  label: string;
  unit: string;
  aim: string;
  holds?: (value: number, all: Figures) => boolean;
}

export const FIGURES: Record<FigureKey, FigureSpec> = {
  ingest_ticks_per_s: {
    label: 'ingest end to end (replay → journal → aggregator → writer)',
    unit: 'ticks/s',
    aim: '≥ 70% of the COPY ceiling; ≥ 20× per-row',
    holds: (v, all) =>
      all.copy_ceiling_ticks_per_s !== null &&
      v >= 0.7 * all.copy_ceiling_ticks_per_s &&
      (all.per_row_ticks_per_s === null || v >= 20 * all.per_row_ticks_per_s),
  },
  copy_ceiling_ticks_per_s: { label: 'binary COPY ceiling, same table and indexes', unit: 'ticks/s', aim: 'reference' },
  per_row_ticks_per_s: { label: 'per-row INSERT', unit: 'ticks/s', aim: 'reference' },
  aggregator_ticks_per_s: { label: 'aggregator alone (6 timeframes)', unit: 'ticks/s', aim: '≥ 2,000,000', holds: (v) => v >= 2_000_000 },
  fanout_clients: { label: 'fan-out clients (× 20 symbols)', unit: 'clients', aim: '1,000' }, // test/bench/fanout.ts (realtime-areas.ts)
  conflate_ms: { label: 'conflation interval (CONFLATE_MS)', unit: 'ms', aim: 'configured' }, // test/bench/fanout.ts
  fanout_p99_ms: {
    label: 'tick → client p99',
    unit: 'ms',
    aim: '≤ conflation + 100 ms',
    holds: (v, all) => all.conflate_ms !== null && v <= all.conflate_ms + 100,
  }, // test/bench/fanout.ts
  fanout_cpu_percent: { label: 'realtime process CPU', unit: '% of a core', aim: '≤ 100%', holds: (v) => v <= 100 }, // test/bench/fanout.ts
  health_p99_ms_under_load: { label: '/api/health p99 under load', unit: 'ms', aim: '≤ 50', holds: (v) => v <= 50 },
  candles_1m_day_p95_ms: { label: '/api/candles 1m one day, sequential p95', unit: 'ms', aim: '≤ 10', holds: (v) => v <= 10 }, // test/bench/candles.ts
  candles_concurrent_req_per_s: {
    label: '/api/candles 1m one day, 50 concurrent',
    unit: 'req/s',
    aim: '≥ 1,000',
    holds: (v) => v >= 1000,
  }, // test/bench/candles.ts
  scanner_rescan_ms_5000: { label: 'scanner full rescan, 5,000 instruments', unit: 'ms', aim: '≤ 1,000', holds: (v) => v <= 1000 }, // test/bench/scanner.ts
  rss_growth_percent_churn: {
    label: 'RSS growth, 1,000 clients churning (after 60 s warm-up)',
    unit: '%',
    aim: '≤ 10%',
    holds: (v) => v <= 10,
  }, // test/bench/churn.ts
};

/** Which database the areas run on. */
export interface BenchBackend {
  kind: 'embedded' | 'server';
  /** postgres:// URL for `server`; undefined for `embedded`. */
  url?: string;
}

export interface BenchContext {
  backend: BenchBackend;
  /** Scratch folder of this run (removed at the end). */
  workDir: string;
  /** Progress lines (stderr, so `--json` stdout stays clean). */
  log(line: string): void;
}

export interface AreaResult {
  figures: Partial<Figures>;
  /** Extra table rows: label → value text. */
  notes?: Record<string, string>;
}

export interface BenchArea {
  id: string;
  /** Keys this area fills. */
  keys: readonly FigureKey[];
  /** Backends it supports (default both). */
  backends?: readonly BenchBackend['kind'][];
  run(context: BenchContext): Promise<AreaResult>;
}

export function emptyFigures(): Figures {
  return Object.fromEntries(FIGURE_KEYS.map((key) => [key, null])) as Figures;
}
