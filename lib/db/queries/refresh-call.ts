/**
 * `CALL refresh_continuous_aggregate(relation, from, to)`, waiting out a concurrent refresh.
 *
 * On a TimescaleDB server (2.28.3) the scheduler's refresh policies run beside the app's own
 * refreshes (worker/pipeline/aggregate-refresher.ts, gap repair, the simulator's history seed,
 * imports). A refresh whose window overlaps one in progress does not wait: it fails with
 * "could not refresh continuous aggregate … due to a concurrent refresh" (DETAIL "A concurrent
 * refresh on window […) is already in progress"). Seen in test/e2e/production-topology.test.ts
 * (the worker's start-up seed failed and the worker exited) and on the server backend of
 * test/integration/gap-repair.test.ts. The embedded database has no scheduler and one
 * connection, so it never happens there. The policy's refresh covers the same rows, but ours
 * may be for rows written after it started, so ours is retried rather than skipped.
 */
import type { Database } from '@/lib/db/client';

/** True for TimescaleDB's "… due to a concurrent refresh" error. */
export function isConcurrentRefresh(error: unknown): boolean {
  return error instanceof Error && /due to a concurrent refresh/.test(error.message);
}

/**
 * Refresh `relation` over [fromIso, toIso) (ISO-8601 timestamps), retrying while another
 * refresh of an overlapping window runs: after 100 ms, doubling to at most 2 s, for up to
 * `maxWaitMs` (default 60 s; a first policy run over a long window takes tens of seconds).
 * @throws the database error (the concurrent-refresh one once `maxWaitMs` has passed)
 */
export async function callRefreshContinuousAggregate(db: Database, relation: string, fromIso: string, toIso: string, maxWaitMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await db.query(`CALL refresh_continuous_aggregate($1, $2::timestamptz, $3::timestamptz)`, [relation, fromIso, toIso]);
      return;
    } catch (error) {
      if (!isConcurrentRefresh(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
