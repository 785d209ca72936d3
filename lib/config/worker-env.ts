/**
 * Worker and host configuration from environment variables, validated once with zod.
 * Nothing else in the worker reads process.env. Errors name the variable.
 *
 * Feeds: FEED=simulator (default) | replay | collectors (only the broker collectors of
 * MARKETDESK_CONFIG feed the pipeline). Replay: REPLAY_FILE (required), REPLAY_FORMAT
 * (auto | marketdesk | kite-csv | breeze-csv | nse-index-csv; default auto), REPLAY_SPEED
 * (1 = real time, N = N× faster, max = as fast as the pipeline takes them; default 1).
 * Simulator: SIM_SEED, SIM_BATCH_MS (batch cadence, 1–1,000 ms, default 25; docs/operations.md).
 * Storage: DATABASE_URL (TimescaleDB server) or the embedded database under DATA_DIR (default ./data).
 * Pipeline: FLUSH_SIZE ticks (1000), FLUSH_INTERVAL_MS (1000), MAX_BUFFER_TICKS (200000),
 * CANDLE_GRACE_MS after a bucket end before the timer closes it (1000).
 * Realtime: CONFLATE_MS (250), the interval of conflated `ticks`/open-candle updates to browsers
 * (and of frames to realtime nodes), 20–5,000 ms (docs/operations.md).
 * Network: PORT for the single-process host (3000), WORKER_PORT for a stand-alone worker (3001);
 * HOST_CANDLE_READS_PER_TURN (4): candle reads the host starts per event-loop turn, 1–1,000.
 */
import path from 'node:path';
import { z } from 'zod';

const speedSchema = z
  .string()
  .regex(/^(max|\d+(\.\d+)?)$/, 'must be a positive number or "max"')
  .transform((value) => (value === 'max' ? ('max' as const) : Number(value)))
  .refine((value) => value === 'max' || value > 0, 'must be a positive number or "max"');

const workerEnvSchema = z
  .object({
    FEED: z.enum(['simulator', 'replay', 'collectors']).default('simulator'),
    REPLAY_FILE: z.string().optional(),
    REPLAY_FORMAT: z.string().default('auto'),
    REPLAY_SPEED: speedSchema.default(1),
    SIM_SEED: z.coerce.number().int().default(20251229),
    /** Simulator batch cadence (ms): ticks leave the feed at most this long after their exchange time. */
    SIM_BATCH_MS: z.coerce.number().int().min(1).max(1000).default(25),
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default('./data'),
    FLUSH_SIZE: z.coerce.number().int().positive().default(1000),
    FLUSH_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
    MAX_BUFFER_TICKS: z.coerce.number().int().positive().default(200_000),
    CANDLE_GRACE_MS: z.coerce.number().int().min(0).default(1000),
    /** Conflation interval of the realtime fan-out (ms): one `ticks` array per client per interval at most. */
    CONFLATE_MS: z.coerce.number().int().min(20).max(5000).default(250),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** `npm start`: GET /api/candles started per event-loop turn (worker/host-listener.ts, docs/operations.md). */
    HOST_CANDLE_READS_PER_TURN: z.coerce.number().int().min(1).max(1000).default(4),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // ---- Broker collectors (issue 3, docs/brokers.md) ----
    /** YAML file of broker collectors (lib/config/collectors-config.ts); unset = none configured. */
    MARKETDESK_CONFIG: z.string().optional(),
    // ---- Storage (issue 4, docs/storage.md) ----
    /** Write-ahead tick journal folder (default DATA_DIR/journal). */
    JOURNAL_DIR: z.string().optional(),
    /** Journal size (MiB) beyond which the feed is made to wait. */
    MAX_JOURNAL_MB: z.coerce.number().int().positive().default(2048),
    /** A tick write slower than this (ms) counts as failed and is retried. */
    WRITE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Bound on a graceful shutdown (ms); a second signal exits at once. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    /** Retention in days (0 = keep forever) and tick compression age in hours. */
    RETENTION_TICKS_DAYS: z.coerce.number().int().min(0).default(7),
    RETENTION_ORDER_BOOK_DAYS: z.coerce.number().int().min(0).default(7),
    RETENTION_1M_DAYS: z.coerce.number().int().min(0).default(30),
    RETENTION_5M_DAYS: z.coerce.number().int().min(0).default(90),
    RETENTION_15M_DAYS: z.coerce.number().int().min(0).default(180),
    RETENTION_30M_DAYS: z.coerce.number().int().min(0).default(180),
    RETENTION_1H_DAYS: z.coerce.number().int().min(0).default(365),
    RETENTION_1D_DAYS: z.coerce.number().int().min(0).default(0),
    COMPRESS_TICKS_AFTER_HOURS: z.coerce.number().int().positive().default(24),
  })
  .superRefine((env, ctx) => {
    if (env.FEED === 'replay' && !env.REPLAY_FILE) {
      ctx.addIssue({ code: 'custom', path: ['REPLAY_FILE'], message: 'is required when FEED=replay' });
    }
  });

export type WorkerEnv = z.infer<typeof workerEnvSchema> & { dataDir: string };

/** Parse the worker environment (defaults: `source` = process.env). Throws an Error naming the bad variable. */
export function parseWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const input = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = workerEnvSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
