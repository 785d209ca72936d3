/**
 * Health: the worker's report (the stand-alone worker's GET /health, `worker` in GET /api/health)
 * and the web app's GET /api/health answer (docs/api.md). Times ISO UTC.
 */
import { z } from 'zod';
import { BROKERS, COLLECTOR_STATES } from './collector';

export const gapRepairHealthSchema = z
  .object({
    /** off (no history source configured) | idle | running | backoff (after a failure, until `retryAt`). */
    state: z.enum(['off', 'idle', 'running', 'backoff']),
    /** History source name ("kite"), or null when off. */
    source: z.string().nullable(),
    /** Instruments watched for gaps. */
    instruments: z.number().int(),
    /** Broker requests planned by the current run and not yet made. */
    queued: z.number().int(),
    /** Broker requests made (failed ones included). */
    requests: z.number().int(),
    /** 1m candles stored from the broker (missing or partial minutes filled). */
    repaired: z.number().int(),
    /** Broker requests that failed. */
    failed: z.number().int(),
    /** Repair runs completed. */
    runs: z.number().int(),
    lastRunAt: z.string().nullable(),
    /** Next attempt while backing off, else null. */
    retryAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'GapRepairHealth' });

export type GapRepairHealth = z.infer<typeof gapRepairHealthSchema>;

/** Pipeline and feed status reported by the worker. */
export const workerHealthSchema = z
  .object({
    ok: z.boolean(),
    startedAt: z.string(),
    feed: z.object({
      name: z.string(),
      state: z.string(),
      ticksEmitted: z.number().int(),
      lastTickTime: z.string().nullable(),
      detail: z.string().optional(),
    }),
    pipeline: z.object({
      ticksAccepted: z.number().int(),
      ticksWritten: z.number().int(),
      bufferDepth: z.number().int(),
      writeErrors: z.number().int(),
      lastFlushAt: z.string().nullable(),
      candlesClosed: z.number().int(),
      lateTicks: z.number().int(),
      /** Ticks outside their instrument's trading session (pre-open, post-close): stored, in no candle. */
      outOfSessionTicks: z.number().int().optional(),
      /** Instrument-days continued from stored candles and ticks after a start, and failed loads. */
      continued: z.object({ instrumentDays: z.number().int(), failures: z.number().int() }).optional(),
      /** Storage (docs/storage.md). */
      storage: z
        .object({
          /** Ticks accepted, not yet in the database: in memory / only in the journal. */
          memoryTicks: z.number().int(),
          spilledTicks: z.number().int(),
          journalBytes: z.number().int(),
          journalSegments: z.number().int(),
          /** ms since the oldest unwritten tick was accepted, or null. */
          oldestUnflushedMs: z.number().nullable(),
          duplicatesSkipped: z.number().int(),
          journalErrors: z.number().int(),
          recoveredTicks: z.number().int(),
          lastError: z.string().nullable(),
        })
        .optional(),
    }),
    realtime: z.object({ clients: z.number().int() }),
    /** Automatic gap repair (worker/backfill/gap-repairer.ts, docs/storage.md). */
    gapRepair: gapRepairHealthSchema.optional(),
    /** Broker collectors (docs/brokers.md). */
    collectors: z
      .array(
        z.object({
          name: z.string(),
          /** kite | fyers */
          broker: z.string().meta({ examples: [...BROKERS] }),
          /** stopped | connecting | live | reconnecting | token_expired | failed */
          state: z.string().meta({ examples: [...COLLECTOR_STATES] }),
          instruments: z.number().int(),
          neverTicked: z.number().int(),
          ticksReceived: z.number().int(),
          lastTickAt: z.string().nullable(),
          lastError: z.string().nullable(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'WorkerHealth' });

export type WorkerHealth = z.infer<typeof workerHealthSchema>;

/** GET /api/health: 200 when the database and the worker are ok, 503 (same body) otherwise. */
export const healthResponseSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({
      ok: z.boolean(),
      mode: z.enum(['embedded', 'server']),
      /** `SELECT 1` round trip, ms; null when it failed. */
      latencyMs: z.number().nullable(),
      error: z.string().optional(),
    }),
    worker: z.union([workerHealthSchema, z.object({ ok: z.literal(false), error: z.string() })]),
    feed: z.object({
      name: z.string().nullable(),
      /** starting | live | finished | stopped | failed | unknown (worker unreachable). */
      state: z.string(),
      ticksEmitted: z.number().int().nullable(),
      /** Exchange time of the last tick. */
      lastTickTime: z.string().nullable(),
      /** now − lastTickTime, ms. */
      lagMs: z.number().nullable(),
    }),
    /** Whether the NSE equity session is open now; `closedReason` names a holiday or "weekend". */
    market: z.object({
      segment: z.literal('equity'),
      open: z.boolean().nullable(),
      closedReason: z.string().nullable(),
      error: z.string().optional(),
    }),
    /** Where browsers and scripts open Socket.IO. */
    realtimeUrl: z.string(),
  })
  .meta({ id: 'Health' });

export type HealthResponse = z.infer<typeof healthResponseSchema>;
