/**
 * Compression policies (drizzle/0002_storage.sql) and the retention job (drizzle/0007_retention.sql)
 * run by the embedded job runner, and re-applied from configuration. The retention rule itself
 * (age from the newest stored data) is tested in retention.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { applyStoragePolicy, DEFAULT_STORAGE_POLICY, getCompressionStats, getRetentionJob } from '@/lib/db/queries/policies';
import { countTicks, insertTicks } from '@/lib/db/queries/ticks';
import { EmbeddedJobRunner } from '@/worker/jobs/embedded-jobs';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const DAY = 86_400_000;
const tick = (time: number) => ({
  instrumentToken: 7, exchange: 'NSE' as const, tradingsymbol: 'X', exchangeTime: time, ltp: 100, lastQuantity: 1, volume: time % 1000,
  averagePrice: null, oi: null, bidPrice: null, bidQuantity: null, askPrice: null, askQuantity: null, feed: 'replay' as const, seq: 0,
});

describeEachBackend('storage policies', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  beforeAll(async () => {
    db = database.db;
    // Server clones have the app's jobs paused (test/support/database-templates.ts): schedule
    // them as production has them (no-op on embedded).
    await db.query(`SELECT alter_job(job_id, scheduled => true) FROM timescaledb_information.jobs WHERE job_id >= 1000`);
  });

  it('the default policies exist and the embedded runner runs them: old ticks dropped, day-old chunks compressed', async () => {
    const now = Date.now();
    await insertTicks(db, [tick(now - 10 * DAY), tick(now - 3 * DAY), tick(now - 3 * DAY + 1), tick(now)]);
    expect(await applyStoragePolicy(db, DEFAULT_STORAGE_POLICY)).toEqual([]); // the migration already matches the defaults
    const runner = new EmbeddedJobRunner(db);
    await runner.runDue();
    expect(runner.failures).toBe(0);
    expect(await countTicks(db)).toBe(3); // the 10-day-old tick is past the 7-day retention
    const stats = await getCompressionStats(db, 'ticks');
    expect(stats.compressedChunks).toBe(1); // the 3-day-old chunk; today's stays uncompressed
    // Idempotent writes still work on the compressed chunk.
    expect(await insertTicks(db, [tick(now - 3 * DAY), tick(now - 3 * DAY + 2)])).toBe(1);
  });

  it('configured values rewrite the retention job and replace compression policies', async () => {
    const changed = await applyStoragePolicy(db, {
      ...DEFAULT_STORAGE_POLICY,
      retentionDays: { ...DEFAULT_STORAGE_POLICY.retentionDays, ticks: 2, candles_1h: 0 },
    });
    expect(changed).toEqual(['ticks', 'candles_1h']);
    expect((await getRetentionJob(db))?.config.drop_after_days).toMatchObject({ ticks: 2, candles_1h: 0 });
    const runner = new EmbeddedJobRunner(db);
    await runner.runDue();
    expect(await countTicks(db)).toBe(1);
  });
});
