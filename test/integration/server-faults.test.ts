/**
 * Zero loss on a TimescaleDB server (issue 9 point 2): the stand-alone worker (`worker/index.ts`
 * with DATABASE_URL) replaying a real NSE session while
 * (a) the server is stopped with `pg_ctl stop -m immediate` for 60 s, then started again: every
 *     tick of the file stored once (0 lost, 0 duplicated);
 * (b) the worker is SIGKILLed mid-flush and restarted on the same replay: every tick stored once.
 * Prints the figures (ticks replayed, stored, duplicates, write errors, max spilled).
 *
 * Server only: (a) needs a server of its own that it may stop (../shared/timescaledb's
 * start-server.sh on a temp cluster; TIMESCALEDB_DIR overrides), so it runs when
 * TEST_DATABASE_URL is set (CI) and that folder exists; (b) uses a clone of the run's server
 * template. Their embedded equivalents are test/db/storage-faults.test.ts and
 * test/integration/storage-restart.test.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openServerDatabase } from '@/lib/db/client';
import { countDuplicateTicks, countTicks } from '@/lib/db/queries/ticks';
import type { WorkerHealth } from '@/lib/gateway/worker-health';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { cloneServerTemplate, TEST_DATABASE_URL } from '../support/test-database';
import { freePort, killWorkerProcesses, startWorkerProcess, waitFor, workerHealth } from '../support/worker-process';

const GAP_DAY = 'nse-nifty-1s-vs-1m/anshkumar_2022-11-28.csv';
const NIFTY = 256265;
const TIMESCALEDB_DIR = process.env.TIMESCALEDB_DIR ?? path.resolve(process.cwd(), '../shared/timescaledb');
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const canStartServer = fs.existsSync(path.join(TIMESCALEDB_DIR, 'start-server.sh')) && fs.existsSync(path.join(PG_BIN, 'pg_ctl'));
const lineCount = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;

afterAll(killWorkerProcesses);

/** Running maxima of a worker's storage figures, sampled on every health poll. */
function tracker() {
  const seen = { maxSpilled: 0, writeErrors: 0, duplicatesSkipped: 0 };
  return {
    seen,
    sample(health: WorkerHealth | null) {
      if (!health) return;
      seen.maxSpilled = Math.max(seen.maxSpilled, health.pipeline.storage?.spilledTicks ?? 0);
      seen.writeErrors = Math.max(seen.writeErrors, health.pipeline.writeErrors);
      seen.duplicatesSkipped = Math.max(seen.duplicatesSkipped, health.pipeline.storage?.duplicatesSkipped ?? 0);
    },
  };
}

/** A TimescaleDB server of this test's own (start-server.sh on a temp cluster), to stop and start. */
async function ownServer() {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'md-faults-pg-'));
  fs.chmodSync(parent, 0o755); // the server's user (postgres, when we are root) must reach it
  const dataDir = path.join(parent, 'data');
  const port = await freePort();
  const start = () => {
    const line = execFileSync('bash', [path.join(TIMESCALEDB_DIR, 'start-server.sh'), dataDir, String(port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return line.trim().replace(/^DATABASE_URL=/, '');
  };
  const asOwner = (args: string[]) => {
    const owner = execFileSync('stat', ['-c', '%U', dataDir], { encoding: 'utf8' }).trim();
    return process.getuid?.() === 0 ? ['runuser', ['-u', owner, '--', ...args]] as const : [args[0], args.slice(1)] as const;
  };
  const url = start();
  return {
    url,
    start,
    /** `pg_ctl stop -m immediate`: every backend killed, no checkpoint (a crash, as far as clients can tell). */
    crash() {
      const [cmd, args] = asOwner([path.join(PG_BIN, 'pg_ctl'), '-D', dataDir, 'stop', '-m', 'immediate']);
      execFileSync(cmd, args, { stdio: 'ignore' });
    },
    remove() {
      try {
        execFileSync('bash', [path.join(TIMESCALEDB_DIR, 'stop-server.sh'), dataDir], { stdio: 'ignore' });
      } finally {
        fs.rmSync(parent, { recursive: true, force: true });
      }
    },
  };
}

describe.skipIf(!TEST_DATABASE_URL || !hasSharedData(GAP_DAY))(
  `worker on a TimescaleDB server under faults${needsSharedData(GAP_DAY)}${TEST_DATABASE_URL ? '' : ' [server only: set TEST_DATABASE_URL (.ci/run does)]'}`,
  () => {
    it.skipIf(!canStartServer)(
      `server stopped (pg_ctl stop -m immediate) for 60 s mid-replay, then started: 0 ticks lost, 0 duplicated${canStartServer ? '' : ` [needs ${TIMESCALEDB_DIR}/start-server.sh]`}`,
      async () => {
        const file = sharedData(GAP_DAY);
        const lines = lineCount(file);
        const server = await ownServer();
        const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-faults-journal-'));
        try {
          const port = await freePort();
          // 6.5 h of session at 300×: ~78 s of replay, so the 60 s outage falls inside it.
          const worker = startWorkerProcess({
            DATABASE_URL: server.url, DATA_DIR: journalDir, WORKER_PORT: String(port), REPLAY_FILE: sharedData(GAP_DAY), REPLAY_SPEED: '300',
          });
          const figures = tracker();
          await waitFor('3,000 ticks written', async () => {
            const health = await workerHealth(port);
            figures.sample(health);
            return (health?.pipeline.ticksWritten ?? 0) >= 3000;
          });
          server.crash();
          const outageEnds = Date.now() + 60_000;
          await waitFor('the 60 s outage', async () => {
            figures.sample(await workerHealth(port));
            return Date.now() >= outageEnds;
          }, 90_000);
          const during = await workerHealth(port);
          expect(during?.pipeline.writeErrors ?? 0).toBeGreaterThan(0); // the worker noticed the outage…
          expect(during?.feed.state).not.toBe('finished'); // …while the replay was still running
          server.start();
          let final: WorkerHealth | null = null;
          await waitFor('replay finished and buffer empty', async () => {
            final = await workerHealth(port);
            figures.sample(final);
            return final?.feed.state === 'finished' && final.pipeline.bufferDepth === 0;
          }, 180_000);
          worker.child.kill('SIGTERM');
          const exitCode = await worker.exited;

          const db = await openServerDatabase(server.url, 2);
          try {
            const stored = await countTicks(db, NIFTY);
            const duplicates = await countDuplicateTicks(db);
            console.log(`[server-faults] outage 60 s (pg_ctl stop -m immediate): replayed ${final!.pipeline.ticksAccepted} (file ${lines}), ` +
              `stored ${stored}, duplicates ${duplicates}, write errors ${figures.seen.writeErrors}, ` +
              `duplicates skipped ${figures.seen.duplicatesSkipped}, max spilled ${figures.seen.maxSpilled}`);
            expect(final!.pipeline.ticksAccepted).toBe(lines);
            expect(stored).toBe(lines);
            expect(duplicates).toBe(0);
          } finally {
            await db.close();
          }
          // Known open defect (reported, not asserted here): after the outage the worker's SIGTERM
          // shutdown can exceed its 15 s bound ("shutdown timed out; exiting", exit 1) although
          // every tick is stored. Printed so that it stays visible.
          if (exitCode !== 0) console.log(`[server-faults] worker exit code after SIGTERM: ${exitCode}: ${worker.log().split('\n').filter(Boolean).at(-1)}`);
          expect(fs.readdirSync(path.join(journalDir, 'journal')).filter((f) => f.startsWith('ticks-'))).toEqual([]);
        } finally {
          server.remove();
          fs.rmSync(journalDir, { recursive: true, force: true });
        }
      },
      300_000,
    );

    it('worker SIGKILLed mid-flush and restarted on the same replay: every tick of the file stored once', async () => {
      const file = sharedData(GAP_DAY);
      const lines = lineCount(file);
      const url = await cloneServerTemplate();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-faults-kill-'));
      try {
        const port = await freePort();
        // Small flushes so that one is in flight when the signal lands.
        const env = { DATABASE_URL: url, DATA_DIR: dataDir, WORKER_PORT: String(port), REPLAY_FILE: file, FLUSH_SIZE: '500', FLUSH_INTERVAL_MS: '200' };
        const first = startWorkerProcess({ ...env, REPLAY_SPEED: '1000' });
        let atKill: WorkerHealth | null = null;
        await waitFor('a flush in flight after 3,000 ticks', async () => {
          atKill = await workerHealth(port);
          const p = atKill?.pipeline;
          return !!p && p.ticksAccepted >= 3000 && p.ticksWritten > 0 && p.bufferDepth > 0;
        });
        first.child.kill('SIGKILL');
        expect(await first.exited).toBe(null);

        const second = startWorkerProcess({ ...env, REPLAY_SPEED: 'max' });
        const figures = tracker();
        let final: WorkerHealth | null = null;
        await waitFor('replay finished and buffer empty', async () => {
          final = await workerHealth(port);
          figures.sample(final);
          return final?.feed.state === 'finished' && final.pipeline.bufferDepth === 0;
        });
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);

        const db = await openServerDatabase(url, 2);
        try {
          const stored = await countTicks(db, NIFTY);
          const duplicates = await countDuplicateTicks(db);
          console.log(`[server-faults] SIGKILL at ${atKill!.pipeline.ticksAccepted} accepted / ${atKill!.pipeline.ticksWritten} written, ` +
            `restart replayed ${final!.pipeline.ticksAccepted} (journal recovered ${final!.pipeline.storage?.recoveredTicks}): ` +
            `stored ${stored} of ${lines}, duplicates ${duplicates}, write errors ${figures.seen.writeErrors}, ` +
            `duplicates skipped ${figures.seen.duplicatesSkipped}, max spilled ${figures.seen.maxSpilled}`);
          expect(stored).toBe(lines);
          expect(duplicates).toBe(0);
        } finally {
          await db.close();
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        const name = new URL(url).pathname.slice(1);
        const { withAdmin } = await import('../support/database-templates');
        await withAdmin(TEST_DATABASE_URL!, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
      }
    });
  },
);
