/**
 * The stand-alone worker process (`worker/index.ts`) under signals, on each backend (a fresh
 * database per test, test/support/test-database.ts; on the server the worker gets
 * DATABASE_URL, the journal stays under DATA_DIR):
 * SIGKILL mid-replay then restart → the journal is replayed and every tick is stored once;
 * SIGTERM → feed stopped, buffer flushed, open candles finalised, exit 0 within the bound.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { countDuplicateTicks, countTicks } from '@/lib/db/queries/ticks';
import type { WorkerHealth } from '@/lib/runtime/host';
import { TickJournal } from '@/worker/storage/journal';
import { freePort, killWorkerProcesses, startWorkerProcess as startWorker, waitFor, workerHealth as health } from '../support/worker-process';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const GAP_DAY = 'nse-nifty-1s-vs-1m/anshkumar_2022-11-28.csv';
afterAll(killWorkerProcesses);

describeEachBackend(`worker process under SIGKILL and SIGTERM${needsSharedData(GAP_DAY)}`, (backend) => {
  // A fresh database for each test, closed here: the worker processes open it.
  const database = useTestDatabase(backend, { perTest: true });

  it.skipIf(!hasSharedData(GAP_DAY))('SIGKILL mid-replay, restart: journal replayed, every tick stored once; SIGTERM exits cleanly', async () => {
    const file = sharedData(GAP_DAY);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
    await database.close();
    const dataDir = database.dataDir;
    {
      const port = await freePort();
      const env = { ...database.env(), WORKER_PORT: String(port), REPLAY_FILE: file, FLUSH_INTERVAL_MS: '3000', FLUSH_SIZE: '5000' };

      // 1. Replay at 1000× (the 6.5 h session in ~23 s) and kill -9 a few seconds in.
      const first = startWorker({ ...env, REPLAY_SPEED: '1000' });
      let atKill: WorkerHealth | null = null;
      await waitFor('3,000 ticks accepted', async () => {
        atKill = await health(port);
        return (atKill?.pipeline.ticksAccepted ?? 0) >= 3000 && (atKill?.pipeline.bufferDepth ?? 0) > 0;
      });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);
      const journal = path.join(dataDir, 'journal');
      const leftover = fs.readdirSync(journal).filter((f) => f.startsWith('ticks-'));
      expect(leftover.length).toBeGreaterThan(0);
      const unwritten = TickJournal.open(journal).recovered.reduce((n, segment) => n + segment.count, 0);
      expect(unwritten).toBeGreaterThan(0);

      // 2. Restart at max speed: the journal is replayed first, then the whole file again.
      const second = startWorker({ ...env, REPLAY_SPEED: 'max' });
      let final: WorkerHealth | null = null;
      await waitFor('replay finished and buffer empty', async () => {
        final = await health(port);
        return final?.feed.state === 'finished' && final.pipeline.bufferDepth === 0;
      });
      expect(final!.pipeline.storage?.recoveredTicks).toBe(unwritten);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      console.log(`[storage-restart] killed at ${atKill!.pipeline.ticksAccepted} accepted / ${atKill!.pipeline.ticksWritten} written; ` +
        `journal replayed ${unwritten}; duplicates skipped ${final!.pipeline.storage?.duplicatesSkipped}`);

      const db = await database.reopen();
      try {
        expect(await countTicks(db, 256265)).toBe(lines);
        expect(await countDuplicateTicks(db)).toBe(0);
        const candles = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM candles_1m WHERE instrument_token = 256265
             AND bucket >= '2022-11-28 09:15+05:30' AND bucket < '2022-11-28 15:30+05:30'`,
        );
        expect(Number(candles[0].n)).toBe(375 - 15); // the file's own 15-minute feed gap
      } finally {
        await database.close();
      }
      expect(fs.readdirSync(journal).filter((f) => f.startsWith('ticks-'))).toEqual([]);
    }
  });

  it.skipIf(!hasSharedData(GAP_DAY))('SIGTERM mid-replay: feed stopped, ticks flushed, the open candle finalised, exit 0', async () => {
    const file = sharedData(GAP_DAY);
    await database.close();
    const dataDir = database.dataDir;
    {
      const port = await freePort();
      const worker = startWorker({ ...database.env(), WORKER_PORT: String(port), REPLAY_FILE: file, REPLAY_SPEED: '1000', FLUSH_INTERVAL_MS: '3000', FLUSH_SIZE: '5000' });
      await waitFor('2,000 ticks accepted', async () => ((await health(port))?.pipeline.ticksAccepted ?? 0) >= 2000);
      const started = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(fs.readdirSync(path.join(dataDir, 'journal')).filter((f) => f.startsWith('ticks-'))).toEqual([]);
      const db = await database.reopen();
      try {
        const stored = await countTicks(db, 256265);
        expect(stored).toBeGreaterThanOrEqual(2000);
        expect(await countDuplicateTicks(db)).toBe(0);
        // The candle of the last stored tick's minute was finalised and written.
        const rows = await db.query<{ last_tick: Date; last_candle: Date }>(
          `SELECT (SELECT max(time) FROM ticks) AS last_tick, (SELECT max(bucket) FROM candles_1m) AS last_candle`,
        );
        const lastMinute = Math.floor(new Date(rows[0].last_tick).getTime() / 60_000) * 60_000;
        expect(new Date(rows[0].last_candle).getTime()).toBe(lastMinute);
      } finally {
        await database.close();
      }
    }
  });
});
