/**
 * The one explicit process-wide singleton: in embedded mode a single Node process (worker/host.ts)
 * owns the PGlite database and runs both Next.js and the worker. It registers the database and a
 * worker-health probe here, and the route handlers, bundled separately by Next.js but running in
 * the same process, read them back. `globalThis` is the only object both bundles share.
 */
import type { Database } from '@/lib/db/client';
import type { CollectorControl } from '@/worker/collectors/types';

/** Pipeline and feed status reported by the worker (GET /health on the worker, /api/health on the web). */
export interface WorkerHealth {
  ok: boolean;
  startedAt: string;
  feed: {
    name: string;
    state: string;
    ticksEmitted: number;
    lastTickTime: string | null;
    detail?: string;
  };
  pipeline: {
    ticksAccepted: number;
    ticksWritten: number;
    bufferDepth: number;
    writeErrors: number;
    lastFlushAt: string | null;
    candlesClosed: number;
    lateTicks: number;
    /** Storage (issue 4, docs/storage.md); optional so older probes stay valid. */
    storage?: {
      /** Ticks accepted, not yet in the database: in memory / only in the journal. */
      memoryTicks: number;
      spilledTicks: number;
      journalBytes: number;
      journalSegments: number;
      /** ms since the oldest unwritten tick was accepted, or null. */
      oldestUnflushedMs: number | null;
      duplicatesSkipped: number;
      journalErrors: number;
      recoveredTicks: number;
      lastError: string | null;
    };
  };
  realtime: { clients: number };
  /** Broker collectors (issue 3, docs/brokers.md); absent in older probes. */
  collectors?: {
    name: string;
    broker: string;
    /** stopped | connecting | live | reconnecting | token_expired | failed */
    state: string;
    instruments: number;
    neverTicked: number;
    ticksReceived: number;
    lastTickAt: string | null;
    lastError: string | null;
  }[];
}

export interface HostRuntime {
  db: Database;
  workerHealth(): WorkerHealth;
  /** Broker collectors' control (issue 3): what /api/collectors calls in embedded mode. */
  collectors?: CollectorControl;
  /** Prometheus exposition of the worker's registry (worker/metrics.ts), for /api/metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

declare global {
  var __marketdeskHost: HostRuntime | undefined;
}

/** Register the in-process host (called once by worker/host.ts before Next.js starts). */
export function setHostRuntime(runtime: HostRuntime): void {
  globalThis.__marketdeskHost = runtime;
}

/** The in-process host, or undefined when the web app runs on its own (DATABASE_URL mode). */
export function getHostRuntime(): HostRuntime | undefined {
  return globalThis.__marketdeskHost;
}

// ---- Scanner access (issue 5) ----
// The worker's scanner registers itself here (embedded host and stand-alone worker alike), so
// route handlers in the same process (GET /api/scanner) and dynamic watchlists (TOP_GAINERS …)
// read it without a network hop. In server mode the web process has none and proxies to WORKER_URL.
import type { ScannerAccess } from '@/lib/market/scanner';

declare global {
  var __marketdeskScanner: ScannerAccess | undefined;
}

/** Register (or with undefined, clear) the in-process scanner. */
export function setScannerAccess(access: ScannerAccess | undefined): void {
  globalThis.__marketdeskScanner = access;
}

/** The in-process scanner, or undefined when this process runs none. */
export function getScannerAccess(): ScannerAccess | undefined {
  return globalThis.__marketdeskScanner;
}

// ---- History source and calendar (issue 4) ----
// The host builds the broker history source (HISTORY_SOURCE) once and registers it here, so
// GET /api/candles in the same process backfills gaps through it (and shares its rate limiter).
// In server mode the web process has none: it reports gaps, and `npm run backfill` fills them.
import type { HistoricalCandleSource } from '@/worker/brokers/historical';

declare global {
  var __marketdeskHistory: HistoricalCandleSource | undefined;
}

/** Register (or with undefined, clear) the in-process broker history source. */
export function setHistorySource(source: HistoricalCandleSource | undefined): void {
  globalThis.__marketdeskHistory = source;
}

/** The in-process broker history source, or undefined when none is configured. */
export function getHistorySource(): HistoricalCandleSource | undefined {
  return globalThis.__marketdeskHistory;
}
