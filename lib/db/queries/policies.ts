/**
 * TimescaleDB storage policies re-applied from configuration at worker start, and the
 * compression figures reported by docs/storage.md.
 *
 * - Retention: ONE custom job, `marketdesk_retention` (drizzle/0007_retention.sql), whose config
 *   holds the window in days per relation. Its rule (issue 8, item 1; docs/storage.md
 *   "Retention"): a relation's chunks are dropped once they are entirely older than
 *   least(newest time stored in that relation, now()) - window, so a replayed or imported past
 *   session is never aged out by the wall clock while a live deployment is still bounded.
 * - Compression: TimescaleDB's compression policies on ticks and order_book (0002_storage.sql).
 *
 * The jobs run by TimescaleDB's scheduler on a server and by worker/jobs/embedded-jobs.ts on the
 * embedded database.
 */
import type { Database } from '../client';

/** Relations with a retention window (hypertables and continuous aggregates). */
export type RetentionRelation =
  | 'ticks'
  | 'order_book'
  | 'candles_1m'
  | 'candles_5m'
  | 'candles_15m'
  | 'candles_30m'
  | 'candles_1h'
  | 'candles_1d';

/**
 * Retention per relation in whole days, measured back from the newest data stored in that
 * relation (capped at now()); 0 = keep forever. Tick/order-book compression age in hours.
 */
export interface StoragePolicy {
  retentionDays: Record<RetentionRelation, number>;
  compressAfterHours: number;
}

/** The defaults: ticks/order book 7 d, 1m 30 d, 5m 90 d, 15m/30m 6 months, 1h 1 year, 1d forever. */
export const DEFAULT_STORAGE_POLICY: StoragePolicy = {
  retentionDays: {
    ticks: 7,
    order_book: 7,
    candles_1m: 30,
    candles_5m: 90,
    candles_15m: 180,
    candles_30m: 180,
    candles_1h: 365,
    candles_1d: 0,
  },
  compressAfterHours: 24,
};

/** Name of the retention procedure and of its job's proc_name (drizzle/0007_retention.sql). */
export const RETENTION_PROCEDURE = 'marketdesk_retention';
/** How often the retention job runs (a new job only; an existing job keeps its schedule). */
const RETENTION_SCHEDULE = '1 hour';

/** The retention job's config: days per relation, 0 = keep forever. */
export interface RetentionJobConfig {
  drop_after_days: Partial<Record<string, number>>;
}

/** The retention job's id and config, or null when the job does not exist. Throws the database error. */
export async function getRetentionJob(db: Database): Promise<{ jobId: number; config: RetentionJobConfig } | null> {
  const rows = await db.query<{ job_id: number; config: RetentionJobConfig | string | null }>(
    `SELECT job_id, config FROM timescaledb_information.jobs WHERE proc_name = $1 ORDER BY job_id LIMIT 1`,
    [RETENTION_PROCEDURE],
  );
  if (rows.length === 0) return null;
  const raw = rows[0].config;
  const config = (typeof raw === 'string' ? JSON.parse(raw) : raw) as RetentionJobConfig | null;
  return { jobId: Number(rows[0].job_id), config: { drop_after_days: { ...(config?.drop_after_days ?? {}) } } };
}

/**
 * Make the storage jobs match `policy`:
 * - the retention job's config (`alter_job`) gets `policy.retentionDays` (whole days back from
 *   the newest stored data of each relation, capped at now(); 0 = keep forever; rule: issue 8
 *   item 1, docs/storage.md "Retention"); the job is re-created with add_job (hourly) if it
 *   was deleted, and then every relation counts as changed;
 * - a compression policy whose `compress_after` differs from `compressAfterHours` is replaced.
 * Returns the relations whose retention changed, then `<relation> (compression)` for replaced
 * compression policies (e.g. `['ticks', 'candles_1h']`). Throws the database error (e.g. before
 * migration 0007 has run).
 */
export async function applyStoragePolicy(db: Database, policy: StoragePolicy): Promise<string[]> {
  const changed: string[] = [];

  const job = await getRetentionJob(db);
  const have = job?.config.drop_after_days ?? {};
  const want: Record<string, number> = {};
  for (const [relation, days] of Object.entries(policy.retentionDays)) {
    want[relation] = days > 0 ? Math.floor(days) : 0;
    if ((have[relation] ?? 0) !== want[relation] || job === null) changed.push(relation);
  }
  if (changed.length > 0) {
    const config = JSON.stringify({ drop_after_days: { ...have, ...want } } satisfies RetentionJobConfig);
    if (job) {
      await db.query(`SELECT alter_job($1, config => $2::jsonb)`, [job.jobId, config]);
    } else {
      await db.query(`SELECT add_job($1::regproc, $2::interval, config => $3::jsonb)`, [
        RETENTION_PROCEDURE,
        RETENTION_SCHEDULE,
        config,
      ]);
    }
  }

  const compression = await db.query<{ relation: string; seconds: number | null }>(
    `SELECT hypertable_name AS relation, extract(epoch FROM (config->>'compress_after')::interval)::float8 AS seconds
     FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'`,
  );
  const compressAfter = new Map(compression.map((row) => [row.relation, row.seconds === null ? null : Number(row.seconds)]));
  for (const relation of ['ticks', 'order_book']) {
    const want = policy.compressAfterHours * 3600;
    if (compressAfter.get(relation) === want) continue;
    await db.query(`SELECT remove_compression_policy($1, if_exists => true)`, [relation]);
    await db.query(`SELECT add_compression_policy($1, compress_after => make_interval(hours => $2))`, [
      relation,
      policy.compressAfterHours,
    ]);
    changed.push(`${relation} (compression)`);
  }
  return changed;
}

/**
 * Run the retention job once now (`CALL run_job`), e.g. in tests or after an import; the
 * schedulers run it hourly anyway. Throws the database error, or when the job does not exist.
 */
export async function runRetentionJob(db: Database): Promise<void> {
  const job = await getRetentionJob(db);
  if (!job) throw new Error(`no ${RETENTION_PROCEDURE} job (has migration 0007_retention run?)`);
  await db.query(`CALL run_job($1)`, [job.jobId]);
}

/**
 * The newest time stored in a hypertable or continuous aggregate (its materialised part), the
 * point retention windows are measured from (before the cap at now()); null when empty.
 * Exact: max of the time column inside the newest non-empty chunk (`marketdesk_newest_time`).
 */
export async function getNewestStoredTime(db: Database, relation: RetentionRelation): Promise<Date | null> {
  const rows = await db.query<{ newest: Date | string | null }>(`SELECT marketdesk_newest_time($1::regclass) AS newest`, [
    relation,
  ]);
  const newest = rows[0]?.newest ?? null;
  return newest === null ? null : new Date(newest);
}

/** Compression figures of a hypertable (bytes before/after over compressed chunks). */
export interface CompressionStats {
  chunks: number;
  compressedChunks: number;
  beforeBytes: number;
  afterBytes: number;
  /** beforeBytes / afterBytes, or null when nothing is compressed. */
  ratio: number | null;
}

/** Compress every chunk of `hypertable` now (e.g. to measure); returns the chunks compressed. */
export async function compressAllChunks(db: Database, hypertable: 'ticks' | 'order_book'): Promise<number> {
  const rows = await db.query<{ n: number | string }>(
    `SELECT count(compress_chunk(c, if_not_compressed => true)) AS n FROM show_chunks($1::regclass) c`,
    [hypertable],
  );
  return Number(rows[0].n);
}

/** TimescaleDB's compression statistics for `hypertable`. */
export async function getCompressionStats(db: Database, hypertable: 'ticks' | 'order_book'): Promise<CompressionStats> {
  const rows = await db.query<{
    total_chunks: number | string | null;
    number_compressed_chunks: number | string | null;
    before_compression_total_bytes: number | string | null;
    after_compression_total_bytes: number | string | null;
  }>(`SELECT * FROM hypertable_compression_stats($1::regclass)`, [hypertable]);
  const row = rows[0];
  const before = Number(row?.before_compression_total_bytes ?? 0);
  const after = Number(row?.after_compression_total_bytes ?? 0);
  return {
    chunks: Number(row?.total_chunks ?? 0),
    compressedChunks: Number(row?.number_compressed_chunks ?? 0),
    beforeBytes: before,
    afterBytes: after,
    ratio: after > 0 ? before / after : null,
  };
}
