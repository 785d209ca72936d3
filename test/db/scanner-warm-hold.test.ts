/**
 * The scanner's warm start waits for the simulator's first-start history (issue 13 point 4):
 * the worker writes that history in the background (worker/runtime.ts → history-seed.ts) and
 * holds the scanner's warm start until it lands (Scanner.holdWarmStart). An instrument ticking
 * meanwhile is followed but not warmed; once the hold settles it is warmed from the history
 * written in the meantime (previous close and 1m RSI known), not from the empty table it saw
 * at its first tick.
 */
import { expect, it } from 'vitest';
import { Scanner } from '@/worker/scanner/scanner';
import { equity, seedSessions } from '../support/desk-history';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

describeEachBackend('scanner warm start held for the first-start history', (backend) => {
  const database = useTestDatabase(backend);

  it('warms only after the hold, from the history written meanwhile', async () => {
    const db = database.db;
    const now = Date.now();
    const scanner = new Scanner({ db });
    let release!: () => void;
    scanner.holdWarmStart(new Promise<void>((resolve) => (release = resolve)));
    scanner.onTicks([makeTick({ instrumentToken: 990_101, exchange: 'NSE', tradingsymbol: 'HOLDCO', exchangeTime: now, ltp: 1010, volume: 5000, feed: 'simulator' })]);
    const warming = scanner.warmPending();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(scanner.warmed).toBe(0); // held: nothing loaded from the (still empty) table

    // The "seed" lands: three sessions ending at 1,000.
    await seedSessions(db, { instruments: [equity(990_101, 'HOLDCO')], today: now, sessions: 3, close: 1000, minuteVolume: 1000 });
    release();
    await warming;
    expect(scanner.warmed).toBe(1);
    const [row] = scanner.scan({ preset: 'all', timeframe: '1m', limit: 1, symbols: ['NSE:HOLDCO'] }).rows;
    expect(row.prevClose).toBe(1000);
    expect(row.dayChange).toBeCloseTo(10, 6);
    expect(row.rsi).not.toBeNull();
    await scanner.stop();
  });
});
