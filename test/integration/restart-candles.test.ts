/**
 * Issue 8, "Restarts do not corrupt candles": the stand-alone worker is killed (SIGKILL) in the
 * middle of a minute with that minute's candle still open, then restarted on the rest of the
 * session. The stored candle of that minute must hold the high and low of ALL its ticks (before
 * and after the restart), and its volume the cumulative-volume difference across the minute.
 * Real Kite full-mode NIFTY futures ticks (../shared/data/easyaccounts-tradingapp).
 * On each backend (test/support/test-database.ts): a fresh database per run of the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, killWorkerProcesses, startWorkerProcess, waitFor, workerHealth } from '../support/worker-process';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { createTestDatabase, describeEachBackend } from '../support/test-database';

const KITE_TICKS = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';
const CUT = '2025-12-29 07:19:30'; // 12:49:30 IST: the middle of a minute
afterAll(killWorkerProcesses);

describeEachBackend(`worker killed mid-minute and restarted${needsSharedData(KITE_TICKS)}`, (backend) => {
  it.skipIf(!hasSharedData(KITE_TICKS))('the stored candle of that minute has the high, low and volume of all its ticks', async () => {
    const [header, ...rows] = fs.readFileSync(sharedData(KITE_TICKS), 'utf8').trim().split('\n');
    const before = rows.filter((r) => r.slice(0, 19) < CUT);
    const after = rows.filter((r) => r.slice(0, 19) >= CUT);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restart-candles-'));
    // Part 1 ends with a tick 20 minutes later, so the replay waits (paced) with 07:19 open.
    const sentinel = before.at(-1)!.replace(/^2025-12-29 07:19:\d\d/, '2025-12-29 07:40:00');
    fs.writeFileSync(path.join(dir, 'part1.csv'), [header, ...before, sentinel].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'part2.csv'), [header, ...after].join('\n') + '\n');
    const database = await createTestDatabase(backend);
    await database.close(); // the worker processes open it
    try {
      const port = await freePort();
      const base = { ...database.env(), WORKER_PORT: String(port), FLUSH_INTERVAL_MS: '200' };
      // Grace of 30 virtual minutes: the timer does not close 07:19 before the kill.
      const first = startWorkerProcess({ ...base, REPLAY_FILE: path.join(dir, 'part1.csv'), REPLAY_SPEED: '20', CANDLE_GRACE_MS: '1800000' });
      const lastBefore = Date.parse(before.at(-1)!.slice(0, 25).replace(' ', 'T'));
      await waitFor('part 1 replayed up to the cut', async () => {
        const h = await workerHealth(port);
        return h?.feed.lastTickTime === new Date(lastBefore).toISOString();
      });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);

      const second = startWorkerProcess({ ...base, REPLAY_FILE: path.join(dir, 'part2.csv'), REPLAY_SPEED: 'max' });
      await waitFor('part 2 finished and written', async () => {
        const h = await workerHealth(port);
        return h?.feed.state === 'finished' && h.pipeline.bufferDepth === 0;
      });
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      // Oracle from the file: per UTC minute, high/low of LTP and the last cumulative volume.
      const perMinute = new Map<string, { high: number; low: number; lastVolume: number }>();
      for (const row of rows) {
        const f = row.split(',');
        const minute = f[0].slice(11, 16);
        const price = Number(f[3]);
        const m = perMinute.get(minute) ?? { high: -Infinity, low: Infinity, lastVolume: 0 };
        perMinute.set(minute, { high: Math.max(m.high, price), low: Math.min(m.low, price), lastVolume: Number(f[4]) });
      }
      const db = await database.reopen();
      try {
        const stored = await db.query<{ bucket: Date; high: number; low: number; volume: string; partial: boolean }>(
          `SELECT bucket, high, low, volume, partial FROM candles_1m WHERE instrument_token = 12683010 ORDER BY bucket`,
        );
        const byMinute = new Map(stored.map((c) => [new Date(c.bucket).toISOString().slice(11, 16), c]));
        const cut = byMinute.get('07:19')!;
        expect(cut).toBeDefined();
        expect({ high: cut.high, low: cut.low }).toEqual({ high: perMinute.get('07:19')!.high, low: perMinute.get('07:19')!.low });
        expect(Number(cut.volume)).toBe(perMinute.get('07:19')!.lastVolume - perMinute.get('07:18')!.lastVolume);
        expect(cut.partial).toBe(false);
        // The minute after the restart is whole too; the very first minute (a mid-session start with nothing stored) is partial.
        expect(Number(byMinute.get('07:20')!.volume)).toBe(perMinute.get('07:20')!.lastVolume - perMinute.get('07:19')!.lastVolume);
        expect(byMinute.get('07:17')!.partial).toBe(true);
      } finally {
        await database.close();
      }
    } finally {
      await database.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
