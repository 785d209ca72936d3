/**
 * Retention measured from the newest stored data (drizzle/0007_retention.sql, issue 8 item 1,
 * docs/storage.md "Retention"): a past session loaded into a fresh database survives the
 * retention job with default settings; live-like data (newest = now) is still bounded by the
 * windows, on the hypertables and on a continuous aggregate. Each test opens its own
 * in-memory embedded database; "now" is the wall clock at the start of the test (no sleeps).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { insertOrderBook } from '@/lib/db/queries/order-book';
import {
  applyStoragePolicy,
  DEFAULT_STORAGE_POLICY,
  getNewestStoredTime,
  getRetentionJob,
  runRetentionJob,
} from '@/lib/db/queries/policies';
import { insertTicks } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';
import { EmbeddedJobRunner } from '@/worker/jobs/embedded-jobs';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const DAY = 86_400_000;
const TOKEN = 256265;

const tick = (time: number, depth = false): Tick & { seq: number } => ({
  ...makeTick({ instrumentToken: TOKEN, exchangeTime: time, ltp: 18_000 + (time / MINUTE) % 100, volume: 0 }),
  ...(depth ? { depth: { buy: [{ price: 1, quantity: 1, orders: 1 }], sell: [{ price: 2, quantity: 1, orders: 1 }] } } : {}),
  seq: 0,
});
const candle = (bucket: number): OneMinuteCandle => ({
  instrumentToken: TOKEN, bucket, open: 100, high: 101, low: 99, close: 100.5, volume: 10, oi: null,
});
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

const RELATIONS = ['ticks', 'order_book', 'candles_1m', 'candles_5m', 'candles_15m', 'candles_30m', 'candles_1h', 'candles_1d'];

async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const relation of RELATIONS) {
    const rows = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${relation}`);
    out[relation] = Number(rows[0].n);
  }
  return out;
}

async function countBetween(db: Database, relation: string, column: string, from: number, to: number): Promise<number> {
  const rows = await db.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM ${relation} WHERE ${column} >= $1::timestamptz AND ${column} < $2::timestamptz`,
    [new Date(from).toISOString(), new Date(to).toISOString()],
  );
  return Number(rows[0].n);
}

describeEachBackend('retention measured from the newest stored data', (backend) => {
  const database = useTestDatabase(backend, { perTest: true });
  let db: Database | undefined;

  it('the migration replaced the wall-clock policies with one job holding the default windows', async () => {
    db = database.db;
    const jobs = await db.query<{ proc_name: string }>(
      `SELECT proc_name FROM timescaledb_information.jobs WHERE proc_name IN ('policy_retention', 'marketdesk_retention')`,
    );
    expect(jobs.map((j) => j.proc_name)).toEqual(['marketdesk_retention']);
    const job = await getRetentionJob(db);
    expect(job?.config.drop_after_days).toEqual(DEFAULT_STORAGE_POLICY.retentionDays);
    expect(await applyStoragePolicy(db, DEFAULT_STORAGE_POLICY)).toEqual([]);
  });

  it('a past session (2022-11-30) survives the retention job with default settings, 1d included', async () => {
    db = database.db;
    // Server clones have the app's jobs paused (test/support/database-templates.ts): schedule
    // them as production has them, so the job runner below runs every one (no-op on embedded).
    await db.query(`SELECT alter_job(job_id, scheduled => true) FROM timescaledb_information.jobs WHERE job_id >= 1000`);
    const open = Date.parse('2022-11-30T03:45:00Z'); // 09:15 IST
    const minutes = Array.from({ length: 375 }, (_, i) => open + i * MINUTE); // 09:15 … 15:29 IST
    await insertTicks(db, minutes.flatMap((m) => [tick(m + 1_000), tick(m + 31_000)]));
    await insertOrderBook(db, minutes.map((m) => tick(m + 1_000, true)));
    await upsertOneMinuteCandles(db, minutes.map(candle));
    await refreshCandleAggregates(db, new Date('2022-11-29T00:00:00Z'), new Date('2022-12-01T00:00:00Z'));
    const before = await counts(db);
    expect(before).toEqual({
      ticks: 750, order_book: 375, candles_1m: 375, candles_5m: 75, candles_15m: 25, candles_30m: 13, candles_1h: 7, candles_1d: 1,
    });
    expect((await getNewestStoredTime(db, 'ticks'))?.toISOString()).toBe('2022-11-30T09:59:31.000Z');

    // The worker's path: configuration applied, then every job run as the embedded runner does
    // (refresh and compression policies included: the old ticks chunk gets compressed first).
    expect(await applyStoragePolicy(db, DEFAULT_STORAGE_POLICY)).toEqual([]);
    const runner = new EmbeddedJobRunner(db);
    await runner.runDue();
    expect(runner.failures).toBe(0);
    await runRetentionJob(db); // and once more, explicitly, on the compressed chunk
    expect(await counts(db)).toEqual(before);
    const compressed = await db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'ticks' AND is_compressed`,
    );
    expect(Number(compressed[0].n)).toBe(1);
  });

  it('the window is measured back from the newest data: an import spanning weeks keeps only its last window', async () => {
    db = database.db;
    const newest = Date.parse('2022-11-30T09:59:00Z');
    const ages = [0, 3, 6, 9, 12, 40]; // days before the newest tick / candle
    await insertTicks(db, ages.map((d) => tick(newest - d * DAY)));
    await upsertOneMinuteCandles(db, ages.map((d) => candle(newest - d * DAY)));
    await runRetentionJob(db);
    const ticks = await db.query<{ time: Date | string }>(`SELECT time FROM ticks ORDER BY time DESC`);
    // ticks: 7 days from 2022-11-30 09:59 UTC; 1-day chunks, so 9 days back goes, 6 days stays.
    expect(ticks.map((r) => Math.round((newest - new Date(r.time).getTime()) / DAY))).toEqual([0, 3, 6]);
    // candles_1m: 30 days; the 40-day-old candle goes, everything within 30 days stays.
    expect(await countBetween(db, 'candles_1m', 'bucket', newest - 31 * DAY, newest + DAY)).toBe(5);
    expect(await countBetween(db, 'candles_1m', 'bucket', 0, newest - 31 * DAY)).toBe(0);
  });

  it('live-like data (newest = now): old ticks, 1m and 5m candles are dropped, data inside the windows stays', async () => {
    db = database.db;
    const now = Date.now();
    // ticks: 7-day window on 1-day chunks; a bad clock's tick 30 days ahead must not move the
    // cutoff past now (newest is capped at now()).
    await insertTicks(db, [tick(now), tick(now - 3 * DAY), tick(now - 6 * DAY), tick(now - 8 * DAY), tick(now - 10 * DAY), tick(now + 30 * DAY)]);
    await insertOrderBook(db, [tick(now, true), tick(now - 8 * DAY, true)]);
    // candles: 1m (30 days), 5m (90 days), 1d (forever) all over the 200-day-old session too.
    const ages = [0, 1, 20, 29, 45, 200];
    const buckets = ages.map((d) => floorMinute(now - d * DAY - 10 * MINUTE));
    await upsertOneMinuteCandles(db, buckets.map(candle));
    await refreshCandleAggregates(db, new Date(now - 210 * DAY), new Date(floorMinute(now - 5 * MINUTE)));
    const mat5mBefore = await countBetween(db, 'candles_5m', 'bucket', 0, now - 90 * DAY);
    expect(mat5mBefore).toBe(1); // the 200-day-old 5m bar, materialised
    const dailyBefore = await countBetween(db, 'candles_1d', 'bucket', 0, now + DAY);

    await runRetentionJob(db);

    const tickAges = (await db.query<{ time: Date | string }>(`SELECT time FROM ticks ORDER BY time DESC`)).map((r) =>
      Math.round((now - new Date(r.time).getTime()) / DAY),
    );
    expect(tickAges).toEqual([-30, 0, 3, 6]);
    expect(await countBetween(db, 'order_book', 'time', 0, now - 7 * DAY)).toBe(0);
    expect(await countBetween(db, 'order_book', 'time', now - 7 * DAY, now + DAY)).toBe(1);
    const minuteAges = (await db.query<{ bucket: Date | string }>(`SELECT bucket FROM candles_1m ORDER BY bucket DESC`)).map(
      (r) => Math.round((now - new Date(r.bucket).getTime()) / DAY),
    );
    expect(minuteAges).toEqual([0, 1, 20, 29]);
    // candles_5m (a continuous aggregate, 90 days): its 200-day-old materialised bar is gone
    // (the 1m rows under it are gone too, so nothing re-creates it), the 45-day-old one stays.
    expect(await countBetween(db, 'candles_5m', 'bucket', 0, now - 90 * DAY)).toBe(0);
    expect(await countBetween(db, 'candles_5m', 'bucket', now - 46 * DAY, now - 44 * DAY)).toBe(1);
    // candles_1d is kept forever by default, the 200-day-old day included.
    expect(await countBetween(db, 'candles_1d', 'bucket', 0, now + DAY)).toBe(dailyBefore);
    expect(await countBetween(db, 'candles_1d', 'bucket', 0, now - 190 * DAY)).toBe(1);
  });

  it('RETENTION_* values rewrite the job config (0 = keep forever) and the job follows them', async () => {
    db = database.db;
    const now = Date.now();
    await insertTicks(db, [tick(now), tick(now - 3 * DAY), tick(now - 10 * DAY)]);
    const changed = await applyStoragePolicy(db, {
      ...DEFAULT_STORAGE_POLICY,
      retentionDays: { ...DEFAULT_STORAGE_POLICY.retentionDays, ticks: 0, candles_1h: 30 },
    });
    expect(changed).toEqual(['ticks', 'candles_1h']);
    expect((await getRetentionJob(db))?.config.drop_after_days).toMatchObject({ ticks: 0, candles_1h: 30, candles_1m: 30 });
    await runRetentionJob(db);
    expect(await countBetween(db, 'ticks', 'time', 0, now + DAY)).toBe(3); // 0 = forever

    expect(await applyStoragePolicy(db, { ...DEFAULT_STORAGE_POLICY, retentionDays: { ...DEFAULT_STORAGE_POLICY.retentionDays, ticks: 2 } })).toEqual([
      'ticks',
      'candles_1h',
    ]);
    await runRetentionJob(db);
    expect(await countBetween(db, 'ticks', 'time', 0, now + DAY)).toBe(1);

    // A deleted job is re-created from the configuration.
    const job = await getRetentionJob(db);
    await db.query(`SELECT delete_job($1)`, [job!.jobId]);
    expect(await applyStoragePolicy(db, DEFAULT_STORAGE_POLICY)).toHaveLength(8);
    expect((await getRetentionJob(db))?.config.drop_after_days).toEqual(DEFAULT_STORAGE_POLICY.retentionDays);
  });
});
