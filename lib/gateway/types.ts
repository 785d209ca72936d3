/**
 * The worker gateway: the one way the web side (route handlers, server components) reaches the
 * worker. Two implementations give the same answers:
 *
 * - in-process (lib/gateway/in-process.ts): the single-process host (`npm start`) hands the
 *   worker's own objects over as `WorkerPorts`;
 * - HTTP (lib/gateway/http.ts): the web app alone (`npm run web`) calls the stand-alone worker's
 *   HTTP API at WORKER_URL, which serves the very same `WorkerPorts` (worker/gateway-server.ts).
 *
 * Which one runs is decided once, when the process starts (lib/runtime/registry.ts).
 *
 * Errors: every method rejects with AppError (lib/http/errors.ts): 503 `unavailable` when the
 * worker is unreachable or still starting, else the worker's own status and code (collectors:
 * 400 naming the field, 404, 409, 422 subscription cap).
 */
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import type { CollectorControl } from '@/lib/contracts/collector';
import type { WorkerHealth } from './worker-health';
import type { Candle } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';

/** Prometheus text exposition of the worker's registry (worker/metrics.ts). */
export interface MetricsText {
  contentType: string;
  body: string;
}

/** What the worker offers the web side, as plain functions (the worker builds one set: worker/composition.ts). */
export interface WorkerPorts {
  /**
   * Scanner snapshot (lib/market/scanner.ts): ranked rows of a preset, or with `symbols` the rows
   * of just those instruments in that order. Throws while the worker is starting.
   */
  scan(query: ScannerQuery): ScannerResult;
  /** Ask the alert engine to reload its definitions now (after a change through the API). */
  reloadAlerts(): void;
  /** Broker collectors (list, detail, create, start/stop, subscribe/unsubscribe, token). */
  readonly collectors: CollectorControl;
  /** Pipeline, feed, collectors and gap-repair status (a "starting" body before the worker runs). */
  health(): WorkerHealth;
  /** Prometheus exposition. */
  metrics(): Promise<MetricsText>;
  /**
   * Candles the worker holds in memory (worker/pipeline/candle-cache.ts) with bucket in
   * [max(from, coveredFrom), to), epoch ms, plus the open one; coveredFrom null = none held.
   * Optional (fakes in tests): without it the web side reads the database only.
   */
  recentCandles?(query: RecentCandlesQuery): RecentCandles;
}

/** A memory candle read: instrument, timeframe, [from, to) in epoch ms. */
export interface RecentCandlesQuery {
  instrumentToken: number;
  timeframe: Timeframe;
  from: number;
  to: number;
}

/** Memory candles, oldest first, and the first bucket from which memory is complete. */
export interface RecentCandles {
  coveredFrom: number | null;
  candles: Candle[];
  /**
   * Changes whenever the instrument's stored candles before coveredFrom may have changed (gap
   * repair, imports, …): database rows cached under one generation stay valid while it holds.
   * Absent from older workers (the web side then does not cache database rows).
   */
  generation?: string;
  /** Changes on every closed/amended candle of this instrument and timeframe (not open-candle updates). */
  version?: number;
}

/** The worker as seen from the web app; see the file comment for errors. */
export interface WorkerGateway {
  /** `in-process` (one host process) or `http` (stand-alone worker at WORKER_URL). */
  readonly kind: 'in-process' | 'http';
  readonly scanner: {
    /** One scanner query (rankings, per-symbol rows); 503 when the scanner is unreachable. */
    scan(query: ScannerQuery): Promise<ScannerResult>;
    /** Best effort: never rejects (the worker also reloads alerts every 5 s by itself). */
    reloadAlerts(): Promise<void>;
  };
  readonly collectors: CollectorControl;
  /** The worker's health; rejects (503) when it cannot be asked. */
  health(): Promise<WorkerHealth>;
  /** Prometheus exposition; rejects (503) when the worker is unreachable. */
  metrics(): Promise<MetricsText>;
  /** The worker's recent candles (null when it cannot be asked: the caller reads the database). */
  recentCandles(query: RecentCandlesQuery): Promise<RecentCandles | null>;
}

/** Where the worker is, as registered at start-up (lib/runtime/registry.ts). */
export type WorkerTarget =
  | { kind: 'in-process'; ports: WorkerPorts }
  /** `apiKey`: the worker API key (lib/auth/worker-api-key.ts), sent as `Authorization: Bearer`. */
  | { kind: 'http'; url: string; apiKey?: string };
