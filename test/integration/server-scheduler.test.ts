/**
 * Who runs TimescaleDB's jobs (issue 9 point 3):
 *
 * 1. On a TimescaleDB server, TimescaleDB's own scheduler runs the migrations' jobs: on a fresh
 *    clone of the run's migrated template, with the scheduler started for it
 *    (`_timescaledb_functions.start_background_workers()`; the template is migrated with
 *    connections refused, so no scheduler ever ran there, and CREATE DATABASE … TEMPLATE starts
 *    none), the 5m refresh policy materialises a stored 1m candle, the ticks columnstore
 *    (compression) policy compresses a 2-day-old ticks chunk and `marketdesk_retention` drops a
 *    10-day-old one; each job's `timescaledb_information.job_stats` says `Success`, no failures.
 *    No app process is connected meanwhile: nothing but the scheduler can have done it.
 * 2. The app runs jobs itself (worker/jobs/embedded-jobs.ts, `CALL run_job`) only in embedded
 *    mode: the worker composition (worker/composition.ts → worker/runtime.ts) builds and starts
 *    an EmbeddedJobRunner on the embedded database and none on a server.
 *
 * (1) and the server half of (2) need TEST_DATABASE_URL (.ci/run sets it); without it they are
 * skipped, saying so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Server } from 'socket.io';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import type { Database } from '@/lib/db/client';
import { materialisedCandleBuckets, upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { bucketStart } from '@/lib/market/session';
import type { RealtimeServer } from '@/worker/realtime/broadcaster';
import { composeWorker } from '@/worker/composition';
import { BACKENDS, createTestDatabase, TEST_DATABASE_URL, type Backend, type TestDatabase } from '../support/test-database';

/** Every EmbeddedJobRunner the worker composition builds in this process, and whether it was started. */
const runners = vi.hoisted(() => [] as { started: boolean }[]);
vi.mock('@/worker/jobs/embedded-jobs', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/worker/jobs/embedded-jobs')>();
  class RecordedEmbeddedJobRunner extends original.EmbeddedJobRunner {
    private readonly record = { started: false };
    constructor(...args: ConstructorParameters<typeof original.EmbeddedJobRunner>) {
      super(...args);
      runners.push(this.record);
    }
    override start(): void {
      this.record.started = true;
      super.start();
    }
  }
  return { ...original, EmbeddedJobRunner: RecordedEmbeddedJobRunner };
});

const SERVER_ONLY = TEST_DATABASE_URL ? '' : ' [server only: set TEST_DATABASE_URL (.ci/run does)]';
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const TOKEN = 408065;

interface JobStats {
  job_id: number;
  proc_name: string;
  hypertable_name: string | null;
  last_run_status: string | null;
  total_runs: number;
  total_successes: number;
  total_failures: number;
}

/** The app's scheduled jobs and their stats (TimescaleDB's own jobs, ids < 1000, left out). */
async function appJobStats(db: Database): Promise<JobStats[]> {
  const rows = await db.query<JobStats>(
    `SELECT j.job_id, j.proc_name, j.hypertable_name, s.last_run_status,
            coalesce(s.total_runs, 0)::int AS total_runs, coalesce(s.total_successes, 0)::int AS total_successes,
            coalesce(s.total_failures, 0)::int AS total_failures
     FROM timescaledb_information.jobs j LEFT JOIN timescaledb_information.job_stats s USING (job_id)
     WHERE j.job_id >= 1000 AND j.scheduled ORDER BY j.job_id`,
  );
  return rows.map((row) => ({ ...row, total_runs: Number(row.total_runs), total_successes: Number(row.total_successes), total_failures: Number(row.total_failures) }));
}

/** Poll `check` every 250 ms until it returns true; throws naming `what` (and the last state) after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, describeState: () => Promise<unknown>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await describeState())}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const tickCount = async (db: Database, from: number, to: number) =>
  Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ticks WHERE time >= $1 AND time < $2`, [new Date(from).toISOString(), new Date(to).toISOString()]))[0].n);

describe.skipIf(!TEST_DATABASE_URL)(`TimescaleDB's scheduler runs the jobs on a server${SERVER_ONLY}`, () => {
  let database: TestDatabase | undefined;
  afterAll(async () => database?.destroy());

  it('refresh, compression and retention policies run by themselves (job_stats Success) and do their work', async () => {
    database = await createTestDatabase('server');
    const db = database.db;
    const now = Date.now();
    // A 1m candle an hour ago: inside the 5m policy's window (3 days back to one bucket before now).
    const minute = bucketStart(now - HOUR_MS, '1m');
    await upsertOneMinuteCandles(db, [{ instrumentToken: TOKEN, bucket: minute, open: 100, high: 101, low: 99, close: 100.5, volume: 10, oi: null }]);
    // Ticks now, 2 days ago (older than the 24 h compression age, inside the 7-day retention) and 10 days ago.
    const times = { recent: now - 60_000, compressible: now - 2 * DAY_MS, expired: now - 10 * DAY_MS };
    await db.query(
      `INSERT INTO ticks (time, instrument_token, ltp, volume, feed) SELECT t, $1, 100, 0, 'test' FROM unnest($2::timestamptz[]) AS u(t)`,
      [TOKEN, `{${Object.values(times).map((t) => new Date(t).toISOString()).join(',')}}`],
    );
    // The template pauses the app's jobs (test/support/database-templates.ts): schedule them
    // again, as a production database has them.
    await db.query(`SELECT alter_job(job_id, scheduled => true) FROM timescaledb_information.jobs WHERE job_id >= 1000`);
    const before = await appJobStats(db);
    expect(before.map((job) => job.proc_name)).toEqual(expect.arrayContaining(['policy_refresh_continuous_aggregate', 'policy_compression', 'marketdesk_retention']));
    expect(before.every((job) => job.total_runs === 0), 'no job ran in the template or its clone before the scheduler starts').toBe(true);
    expect(await materialisedCandleBuckets(db, '5m', [bucketStart(minute, '5m')])).toEqual(new Set());

    // The scheduler for this database (what a server restart or CREATE EXTENSION would start).
    await db.query(`SELECT _timescaledb_functions.start_background_workers()`);

    const job = (stats: JobStats[], proc: string, table: string | null) => stats.find((s) => s.proc_name === proc && s.hypertable_name === table)!;
    const wanted: [string, string | null][] = [
      ['policy_refresh_continuous_aggregate', 'candles_5m'],
      ['policy_compression', 'ticks'],
      ['marketdesk_retention', null],
    ];
    await until(
      'the 5m refresh, ticks compression and retention jobs to succeed',
      async () => {
        const stats = await appJobStats(db);
        return wanted.every(([proc, table]) => job(stats, proc, table)?.total_successes > 0);
      },
      () => appJobStats(db),
    );
    // The first runs of retention and compression start together, and dropping a ticks chunk can
    // deadlock with compressing one (marketdesk_retention then logs a WARNING for that relation
    // and still succeeds; the next hourly run drops it). Bring the next scheduled run forward
    // (the scheduler runs it, not us) and wait for it.
    const retention = job(await appJobStats(db), 'marketdesk_retention', null);
    await db.query(`SELECT alter_job($1, next_start => now())`, [retention.job_id]);
    await until(
      'a second run of marketdesk_retention',
      async () => job(await appJobStats(db), 'marketdesk_retention', null).total_successes > retention.total_successes,
      () => appJobStats(db),
    );
    const after = await appJobStats(db);
    for (const [proc, table] of wanted) {
      expect(job(after, proc, table), `${proc} ${table ?? ''}`).toMatchObject({ last_run_status: 'Success', total_failures: 0 });
    }
    expect(after.filter((s) => s.total_failures > 0)).toEqual([]);

    // Their work: the candle materialised in 5m, the 2-day-old chunk compressed, the 10-day-old one dropped.
    expect(await materialisedCandleBuckets(db, '5m', [bucketStart(minute, '5m')])).toEqual(new Set([bucketStart(minute, '5m')]));
    const chunks = await db.query<{ range_start: Date; range_end: Date; is_compressed: boolean }>(
      `SELECT range_start, range_end, is_compressed FROM timescaledb_information.chunks WHERE hypertable_name = 'ticks' ORDER BY range_start`,
    );
    const holding = (t: number) => chunks.find((c) => new Date(c.range_start).getTime() <= t && t < new Date(c.range_end).getTime());
    expect(holding(times.expired), 'the 10-day-old ticks chunk is dropped').toBeUndefined();
    expect(holding(times.compressible)?.is_compressed).toBe(true);
    expect(holding(times.recent)?.is_compressed).toBe(false);
    expect(await tickCount(db, times.expired - 1, times.expired + 1)).toBe(0);
    expect(await tickCount(db, times.compressible - 1, times.recent + 1)).toBe(2);
  });
});

describe('the app runs TimescaleDB jobs itself only on the embedded database', () => {
  const dirs: string[] = [];
  const databases: TestDatabase[] = [];
  beforeEach(() => void runners.splice(0));
  afterAll(async () => {
    for (const database of databases) await database.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A two-tick replay file in the marketdesk format (docs/tick-format.md). */
  function replayFile(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'md-scheduler-replay-'));
    dirs.push(dir);
    const file = path.join(dir, 'ticks.csv');
    writeFileSync(
      file,
      'exchange_time,instrument_token,exchange,tradingsymbol,ltp,last_quantity,volume,average_price,oi,bid_price,bid_quantity,ask_price,ask_quantity\n' +
        '2025-12-29T04:00:00.000Z,408065,NSE,INFY,1650.5,10,1000,,,,,,\n' +
        '2025-12-29T04:00:01.000Z,408065,NSE,INFY,1651,5,1005,,,,,,\n',
    );
    return file;
  }

  const cases: { backend: Backend; runners: number; skip: string }[] = [
    { backend: 'embedded', runners: 1, skip: '' },
    { backend: 'server', runners: 0, skip: BACKENDS.includes('server') ? '' : SERVER_ONLY },
  ];
  for (const { backend, runners: expected, skip } of cases) {
    it.skipIf(skip !== '')(`${backend}: the worker composition starts ${expected ? 'the embedded job runner' : 'no job runner'}${skip}`, async () => {
      const database = await createTestDatabase(backend);
      databases.push(database);
      await database.close(); // the worker opens (and, embedded, owns) it
      const env = parseWorkerEnv({ ...database.env(), FEED: 'replay', REPLAY_FILE: replayFile(), REPLAY_SPEED: 'max', LOG_LEVEL: 'silent' } as unknown as NodeJS.ProcessEnv);
      const composition = await composeWorker({ env, logger: pino({ level: 'silent' }), ownerUrl: 'http://127.0.0.1:0' });
      expect(composition.db.kind).toBe(backend);
      const io = new Server() as unknown as RealtimeServer;
      try {
        const worker = await composition.start(io);
        await worker.feedEnded;
        expect(worker.pipeline.ticksAccepted).toBe(2);
        expect(runners).toEqual(Array.from({ length: expected }, () => ({ started: true })));
      } finally {
        // (io is not attached to an HTTP server: nothing of it to close.)
        expect(await composition.stop(10_000)).toBe(true);
      }
    });
  }
});
