/**
 * Keeps the continuous aggregates right for 1m candles written far behind real time (a replay
 * of a past session, a late backfill). Refresh policies only look back a few days
 * (drizzle/0001_timescaledb.sql: 3 days for 5m), and real-time aggregation only adds rows above
 * each aggregate's watermark, so older 1m candles would not reach 5m…1d without an explicit
 * `refresh_continuous_aggregate` over their days. Recent candles are left to the policies.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates } from '@/lib/db/queries/candles';
import { istDayStart } from '@/lib/market/session';

/** Candles older than this (relative to the wall clock) are refreshed explicitly. */
const POLICY_HORIZON_MS = 2 * 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export class AggregateRefresher {
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;
  refreshes = 0;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record that 1m candles with these bucket starts (epoch ms) were written. */
  note(buckets: Iterable<number>): void {
    const horizon = this.now() - POLICY_HORIZON_MS;
    for (const bucket of buckets) {
      if (bucket >= horizon) continue;
      if (bucket < this.from) this.from = bucket;
      if (bucket > this.to) this.to = bucket;
    }
  }

  /** Refresh the aggregates over the whole IST days noted since the last call. */
  async refresh(): Promise<void> {
    if (this.from > this.to) return;
    const from = istDayStart(this.from);
    const to = istDayStart(this.to) + DAY_MS;
    this.from = Number.POSITIVE_INFINITY;
    this.to = Number.NEGATIVE_INFINITY;
    try {
      await refreshCandleAggregates(this.db, new Date(from), new Date(to));
      this.refreshes++;
    } catch (error) {
      this.logger?.warn({ err: error }, 'continuous aggregate refresh failed; will retry');
      this.note([from, to - 1]);
    }
  }
}
