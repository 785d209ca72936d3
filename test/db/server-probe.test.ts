/**
 * On a TimescaleDB server, the health probe (lib/db/probe.ts → the server database's `probe()`)
 * answers on its own connection while every pooled connection is busy: it does not queue
 * behind them. Needs TEST_DATABASE_URL (skipped without it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type Database } from '@/lib/db/client';
import { probeDatabase } from '@/lib/db/probe';

const url = process.env.TEST_DATABASE_URL;
let db: Database | null = null;

describe.skipIf(!url)('server health probe', () => {
  afterAll(async () => {
    await db?.close();
  });

  it('answers while the pool is busy with a long statement', async () => {
    db = await openServerDatabase(url!, 1);
    let slowDone = false;
    const slow = db.query('SELECT pg_sleep(3)').then(() => (slowDone = true));
    // The pool's one connection is taken by the sleep (queued first); on the pool, the probe
    // would answer only after it.
    const probe = await probeDatabase(db);
    expect(probe.ok).toBe(true);
    expect(slowDone).toBe(false);
    expect(probe.latencyMs).toEqual(expect.any(Number));
    await slow;
  });
});
