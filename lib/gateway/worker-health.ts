/**
 * The worker's health contract: what GET /health on the worker and `worker` in GET /api/health
 * carry (worker/runtime.ts builds it; the gateway returns it to the web app).
 */

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
    /** Ticks outside their instrument's trading session (pre-open, post-close): stored, in no candle. */
    outOfSessionTicks?: number;
    /** Instrument-days continued from stored candles and ticks after a start (worker/pipeline/candle-seed.ts), and failed loads. */
    continued?: { instrumentDays: number; failures: number };
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
  /** Automatic gap repair (issue 8, worker/backfill/gap-repairer.ts, docs/storage.md); absent in older probes. */
  gapRepair?: GapRepairHealth;
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

/**
 * Progress of the worker's automatic gap repair (GET /api/health → worker.gapRepair). Counters
 * are totals since the worker started; times are ISO UTC.
 */
export interface GapRepairHealth {
  /** off (no history source configured) | idle | running | backoff (after a failure, until `retryAt`). */
  state: 'off' | 'idle' | 'running' | 'backoff';
  /** History source name ("kite"), or null when off. */
  source: string | null;
  /** Instruments watched for gaps (ticking in this worker, or subscribed by a collector of the source's broker). */
  instruments: number;
  /** Broker requests planned by the current run and not yet made. */
  queued: number;
  /** Broker requests made (failed ones included). */
  requests: number;
  /** 1m candles stored from the broker (missing or partial minutes filled). */
  repaired: number;
  /** Broker requests that failed. */
  failed: number;
  /** Repair runs completed. */
  runs: number;
  /** Wall-clock end of the last run, or null. */
  lastRunAt: string | null;
  /** Next attempt while backing off, else null. */
  retryAt: string | null;
  lastError: string | null;
}
