/**
 * Keeps the higher timeframes (5m, 15m, 30m, 1h, 1d continuous aggregates) in step with the 1m
 * candles the worker writes: a closed 1m candle is visible in every aggregate as soon as
 * `afterWrite` has resolved, i.e. within one flush (FLUSH_INTERVAL_MS, 1 s) plus the refresh,
 * on the embedded database and on a TimescaleDB server alike (issue 8, item 5).
 *
 * Why it is needed. The aggregates are real-time (drizzle/0001_timescaledb.sql): each serves
 * buckets starting before its *watermark* from its materialisation, and aggregates buckets at
 * or after the watermark from its source on every read. A 1m candle written into a bucket below
 * an aggregate's watermark therefore stays invisible in that aggregate until the bucket is
 * refreshed. That happens to
 * - a replayed or back-filled past session in a database that has been live (every watermark
 *   is near now);
 * - the rest of a day after its whole day was materialised (the 1d watermark moves to the
 *   day's end; 5m…1h to the end of the newest materialised bucket), e.g. right after a replay;
 * - a late amendment of a minute that a refresh policy has already materialised.
 * Live candles are normally above every watermark, because the refresh policies stop one
 * bucket short of now (end_offset = bucket width), so a live session costs one watermark read
 * per flush and nothing else.
 *
 * Rule, per `afterWrite(buckets)` (serialised, coalesced when calls pile up):
 * 1. Every written minute is added, per aggregate, to a *pending* set of that aggregate's bucket
 *    starts (09:15-IST-anchored for 5m…1h, 00:00 IST for 1d; lib/market/session.ts).
 * 2. The watermarks are read (one catalog query). A bucket written in this call that starts
 *    before its aggregate's watermark is due for a refresh; the others stay pending (they are
 *    served in real time). Pending buckets are re-examined on every call: one that a watermark
 *    has passed since is dropped when its materialisation holds rows (whoever moved the
 *    watermark, normally a refresh policy, materialised it after our write), and refreshed when
 *    it holds none (an import or a refresh of later data moved the watermark over candles that
 *    were never materialised), so that case is caught within one flush too. Not refreshing
 *    policy-materialised buckets matters on TimescaleDB 2.23, where a 30m/1h refresh also
 *    materialises the next bucket (refreshCandleAggregate): that would push the watermark into
 *    the live bucket and make every following live flush refresh until the bucket ends.
 * 3. A refresh of a hierarchical aggregate reads its parent *including the parent's real-time
 *    part*, but later changes to that part are not logged as invalidations for the child
 *    (measured on TimescaleDB 2.23: after refreshing 15m over a bucket whose 5m part was still
 *    real-time, a new 1m row reached 5m but a second 15m refresh saw nothing to do). So every
 *    window due in an aggregate is refreshed in its parents first: due(30m) ∪= due(1h),
 *    due(15m) ∪= due(30m), due(5m) ∪= due(15m), then 5m, 15m, 30m, 1h are refreshed in that
 *    order, then 1d (on candles_1m directly).
 * 4. Whole IST days of "old" candles (older than POLICY_HORIZON_MS by wall clock, which the
 *    refresh policies never reach: their start_offset is 3 days for 5m) are materialised for
 *    read speed once complete: when a later old day is written (the replay moved on) or on
 *    `refresh()`. Correctness does not depend on this or on any timer.
 *
 * Failures (database errors) are logged and counted, never thrown: what was due is kept as
 * "must refresh" and retried on the next call, so call `afterWrite` after every flush, also
 * empty ones.
 *
 * Cost on the embedded database (PGlite, 2 shared cores; test/db/aggregate-freshness.test.ts
 * prints it): see docs/architecture.md, Candles, "Freshness".
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import {
  CANDLE_AGGREGATES,
  getCandleAggregateWatermarks,
  materialisedCandleBuckets,
  refreshCandleAggregate,
  type CandleAggregate,
} from '@/lib/db/queries/candles';
import { DAY_MS, bucketEnd, bucketStart, istDayStart } from '@/lib/market/session';

/** Candles older than this (relative to the wall clock) have their whole days materialised. */
const POLICY_HORIZON_MS = 2 * 24 * 60 * 60_000;
/** Hierarchical intraday aggregates, parent first (drizzle/0001_timescaledb.sql). */
const CHAIN: readonly CandleAggregate[] = ['5m', '15m', '30m', '1h'];

/** Half-open window [from, to), epoch ms UTC. */
type Window = [from: number, to: number];

export class AggregateRefresher {
  /** Successful `refresh_continuous_aggregate` calls. */
  refreshes = 0;
  /** Cycles that hit a database error (the work is retried on the next call). */
  failures = 0;
  /** Duration of the last cycle that refreshed something, ms. */
  lastRefreshMs = 0;
  /** 1m bucket starts written and not examined yet. */
  private readonly incoming = new Set<number>();
  /** Per aggregate: bucket starts holding written candles that were not materialised when last examined. */
  private readonly pending = Object.fromEntries(CANDLE_AGGREGATES.map((t) => [t, new Set<number>()])) as Record<
    CandleAggregate,
    Set<number>
  >;
  /** Per aggregate: bucket starts written since they were last compared with the watermark. */
  private readonly fresh = Object.fromEntries(CANDLE_AGGREGATES.map((t) => [t, new Set<number>()])) as Record<
    CandleAggregate,
    Set<number>
  >;
  /** Per aggregate: bucket starts known to need a refresh (due when a refresh failed; retried first). */
  private readonly mustRefresh = Object.fromEntries(CANDLE_AGGREGATES.map((t) => [t, new Set<number>()])) as Record<
    CandleAggregate,
    Set<number>
  >;
  /** IST day starts of written old candles, to materialise whole once complete. */
  private readonly oldDays = new Set<number>();
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private materialiseQueued = false;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Call right after 1m candles were upserted (and after every flush, also with an empty list):
   * resolves once every aggregate shows them. Never rejects (errors are logged and retried on
   * the next call).
   * @param buckets bucket starts (epoch ms UTC) of the 1m candles just written; duplicates and
   *   any order are fine.
   */
  afterWrite(buckets: Iterable<number>): Promise<void> {
    this.note(buckets);
    return this.schedule(false);
  }

  /**
   * Record written 1m bucket starts (epoch ms UTC) without waiting; the next `afterWrite` or
   * `refresh` handles them. Kept for callers that refresh on their own schedule.
   */
  note(buckets: Iterable<number>): void {
    for (const bucket of buckets) this.incoming.add(bucket);
  }

  /**
   * Everything `afterWrite` does, and also materialise every noted old day whole (call at stop).
   * Never rejects.
   */
  refresh(): Promise<void> {
    return this.schedule(true);
  }

  /** Buckets per aggregate waiting for their watermark (served in real time meanwhile). */
  get pendingBuckets(): number {
    return CANDLE_AGGREGATES.reduce((sum, t) => sum + this.pending[t].size, 0);
  }

  /** One cycle at a time; calls arriving while one runs share the next cycle. */
  private schedule(materialise: boolean): Promise<void> {
    if (materialise) this.materialiseQueued = true;
    if (!this.queued) {
      const next = this.tail.then(() => {
        this.queued = null;
        const all = this.materialiseQueued;
        this.materialiseQueued = false;
        return this.cycle(all);
      });
      this.queued = next;
      this.tail = next;
    }
    return this.queued;
  }

  private async cycle(materialiseAll: boolean): Promise<void> {
    const horizon = this.now() - POLICY_HORIZON_MS;
    let newestOldDay = Number.NEGATIVE_INFINITY;
    const fresh = this.fresh;
    for (const minute of this.incoming) {
      for (const timeframe of CANDLE_AGGREGATES) {
        const start = bucketStart(minute, timeframe);
        this.pending[timeframe].add(start);
        fresh[timeframe].add(start);
      }
      if (minute < horizon) {
        const day = istDayStart(minute);
        this.oldDays.add(day);
        if (day > newestOldDay) newestOldDay = day;
      }
    }
    this.incoming.clear();
    const days = [...this.oldDays].filter((day) => materialiseAll || day < newestOldDay);
    if (days.length === 0 && this.pendingBuckets === 0 && CANDLE_AGGREGATES.every((t) => this.mustRefresh[t].size === 0)) return;

    const started = performance.now();
    let calls = 0;
    try {
      const watermarks = await getCandleAggregateWatermarks(this.db);
      const due = {} as Record<CandleAggregate, Window[]>;
      for (const timeframe of CANDLE_AGGREGATES) {
        const must = this.mustRefresh[timeframe];
        const passed: number[] = [];
        for (const start of this.pending[timeframe]) {
          if (start >= watermarks[timeframe] || must.has(start)) continue;
          if (fresh[timeframe].has(start)) must.add(start);
          else passed.push(start);
        }
        // Buckets written earlier above the watermark, now passed by it: whoever moved it (a
        // policy, normally) materialised them if they hold rows, after our write.
        if (passed.length > 0) {
          const materialised = await materialisedCandleBuckets(this.db, timeframe, passed);
          for (const start of passed) {
            if (materialised.has(start)) this.pending[timeframe].delete(start);
            else must.add(start);
          }
        }
        fresh[timeframe].clear();
        due[timeframe] = [...must].map((start): Window => [start, bucketEnd(start, timeframe)]);
        for (const day of days) {
          due[timeframe].push([bucketStart(day, timeframe), bucketEnd(day + DAY_MS - 1, timeframe)]);
        }
      }
      // A child's refresh reads its parent: materialise the parent over the child's windows first.
      for (let i = CHAIN.length - 1; i > 0; i--) due[CHAIN[i - 1]].push(...due[CHAIN[i]]);
      for (const timeframe of CANDLE_AGGREGATES) {
        for (const [from, to] of merge(due[timeframe])) {
          await refreshCandleAggregate(this.db, timeframe, new Date(from), new Date(to));
          calls++;
          this.refreshes++;
          for (const set of [this.pending[timeframe], this.mustRefresh[timeframe]]) {
            for (const start of set) if (start >= from && start < to) set.delete(start);
          }
        }
      }
      for (const day of days) this.oldDays.delete(day);
    } catch (error) {
      this.failures++;
      this.logger?.warn({ err: error }, 'continuous aggregate refresh failed; retrying after the next flush');
      return;
    }
    if (calls > 0) {
      this.lastRefreshMs = performance.now() - started;
      this.logger?.debug({ calls, ms: Math.round(this.lastRefreshMs), days: days.length }, 'continuous aggregates refreshed');
    }
  }
}

/** Sort and merge overlapping or touching windows. */
function merge(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  const merged: Window[] = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
