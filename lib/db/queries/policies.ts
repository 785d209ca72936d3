/**
 * TimescaleDB compression and retention policies (created with their defaults by
 * drizzle/0002_storage.sql) re-applied from configuration at worker start, and the compression
 * figures reported by docs/storage.md. Policy jobs run by TimescaleDB's scheduler on a server
 * and by worker/jobs/embedded-jobs.ts on the embedded database.
 */
import type { Database } from '../client';

/** Retention per relation in days (0 = keep forever) and tick/order-book compression age in hours. */
export interface StoragePolicy {
  retentionDays: Record<
    'ticks' | 'order_book' | 'candles_1m' | 'candles_5m' | 'candles_15m' | 'candles_30m' | 'candles_1h' | 'candles_1d',
    number
  >;
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

interface PolicyRow {
  relation: string;
  proc_name: string;
  seconds: number | null;
}

/**
 * Make the policy jobs match `policy`: a retention or compression job whose interval differs
 * is replaced; 0 days removes the retention job. Returns the relations changed.
 * Throws the database error.
 */
export async function applyStoragePolicy(db: Database, policy: StoragePolicy): Promise<string[]> {
  const jobs = await db.query<PolicyRow>(
    `SELECT hypertable_name AS relation, proc_name,
            extract(epoch FROM coalesce(config->>'drop_after', config->>'compress_after')::interval)::float8 AS seconds
     FROM timescaledb_information.jobs WHERE proc_name IN ('policy_retention', 'policy_compression')`,
  );
  // Continuous aggregates appear under their materialisation hypertable's name: map them back.
  const caggs = await db.query<{ view_name: string; materialization_hypertable_name: string }>(
    `SELECT view_name, materialization_hypertable_name FROM timescaledb_information.continuous_aggregates`,
  );
  const viewOf = new Map(caggs.map((c) => [c.materialization_hypertable_name, c.view_name]));
  const current = new Map<string, number | null>();
  for (const job of jobs) current.set(`${job.proc_name}:${viewOf.get(job.relation) ?? job.relation}`, job.seconds);

  const changed: string[] = [];
  for (const [relation, days] of Object.entries(policy.retentionDays)) {
    // Compare in whole days: PostgreSQL counts '1 year' as 365.25 days and '6 months' as 180.
    const want = days > 0 ? days : null;
    const seconds = current.get(`policy_retention:${relation}`) ?? null;
    const have = seconds === null ? null : Math.round(seconds / 86_400);
    if (want === have) continue;
    await db.query(`SELECT remove_retention_policy($1, if_exists => true)`, [relation]);
    if (want !== null) {
      await db.query(`SELECT add_retention_policy($1, drop_after => make_interval(days => $2))`, [relation, days]);
    }
    changed.push(relation);
  }
  for (const relation of ['ticks', 'order_book']) {
    const want = policy.compressAfterHours * 3600;
    if (current.get(`policy_compression:${relation}`) === want) continue;
    await db.query(`SELECT remove_compression_policy($1, if_exists => true)`, [relation]);
    await db.query(`SELECT add_compression_policy($1, compress_after => make_interval(hours => $2))`, [
      relation,
      policy.compressAfterHours,
    ]);
    changed.push(`${relation} (compression)`);
  }
  return changed;
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
