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
import net from 'node:net';
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

/** NIFTY's stored 1m candles, and the session minutes (09:15–15:29 IST) that have stored ticks. */
async function oneMinuteCandles(db: Awaited<ReturnType<typeof openServerDatabase>>): Promise<{ stored: number; expected: number }> {
  const [row] = await db.query<{ stored: string; expected: string }>(
    `SELECT (SELECT count(*) FROM candles_1m WHERE instrument_token = $1) AS stored,
            (SELECT count(DISTINCT date_trunc('minute', time)) FROM ticks
             WHERE instrument_token = $1 AND (time AT TIME ZONE 'Asia/Kolkata')::time >= '09:15' AND (time AT TIME ZONE 'Asia/Kolkata')::time < '15:30') AS expected`,
    [NIFTY],
  );
  return { stored: Number(row.stored), expected: Number(row.expected) };
}

describe.skipIf(!TEST_DATABASE_URL)(`query pool on a TimescaleDB server${TEST_DATABASE_URL ? '' : ' [server only: set TEST_DATABASE_URL (.ci/run does)]'}`, () => {
  it('serves queries again once the server accepts connections after refusing more attempts than the pool has connections', async () => {
    // A port that refuses connections (nothing listens), later a TCP relay to the test server.
    const target = new URL(TEST_DATABASE_URL!);
    const port = await freePort();
    const url = new URL(TEST_DATABASE_URL!);
    url.port = String(port);
    const db = await openServerDatabase(url.toString(), 2);
    const relay = net.createServer((client) => {
      const upstream = net.connect({ host: target.hostname, port: Number(target.port || 5432) });
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        await expect(db.query('SELECT 1'), `attempt ${attempt}`).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      }
      await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
      // Before lib/db/server-socket.ts each refused attempt leaked a pool connection and this waited forever.
      await expect(db.query<{ n: number }>('SELECT 1 AS n')).resolves.toEqual([{ n: 1 }]);
    } finally {
      await db.close();
      relay.close();
    }
  });
});

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
            const candles = await oneMinuteCandles(db);
            console.log(`[server-faults] outage 60 s (pg_ctl stop -m immediate): replayed ${final!.pipeline.ticksAccepted} (file ${lines}), ` +
              `stored ${stored}, duplicates ${duplicates}, write errors ${figures.seen.writeErrors}, ` +
              `duplicates skipped ${figures.seen.duplicatesSkipped}, max spilled ${figures.seen.maxSpilled}, ` +
              `1m candles ${candles.stored} of ${candles.expected}, exit code ${exitCode}`);
            expect(final!.pipeline.ticksAccepted).toBe(lines);
            expect(stored).toBe(lines);
            expect(duplicates).toBe(0);
            // Candles go through the query pool (ticks through the COPY connection): one per
            // session minute that has ticks, written after the outage too.
            expect(candles.stored).toBe(candles.expected);
          } finally {
            await db.close();
          }
          // The shutdown after the outage stays within its bound (SHUTDOWN_TIMEOUT_MS, 15 s): the
          // query pool reconnected (lib/db/server-socket.ts), so the final candle writes, feed
          // events and aggregate refresh ran instead of waiting for a connection forever.
          expect(exitCode, `worker exit code after SIGTERM; its last output:\n${worker.log().split('\n').slice(-20).join('\n')}`).toBe(0);
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
