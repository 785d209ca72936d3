/**
 * The project's own tick format round-trips: ticks replayed from a real Kite capture, exported
 * from the `ticks` table in the marketdesk format, and replayed again, are the same ticks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { readTicks, type StoredTickRow } from '@/lib/db/queries/tick-export';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { createTestDatabase, describeEachBackend, type Backend, type TestDatabase } from '../support/test-database';

const KITE_TICKS = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';

/** Replay `file` into a fresh database on `backend` (destroyed by the caller). */
async function replay(backend: Backend, file: string): Promise<TestDatabase> {
  const handle = await createTestDatabase(backend);
  const db = handle.db;
  const feed = createReplayFeed({ file, speed: 'max' });
  const pipeline = new TickPipeline({ db, flushSize: 1000, flushIntervalMs: 1000, maxBufferTicks: 10_000, candleGraceMs: 0, clock: () => feed.now() });
  pipeline.start();
  for await (const batch of feed.ticks(new AbortController().signal)) await pipeline.accept(batch);
  await pipeline.stop();
  return handle;
}

async function allTicks(db: Database): Promise<StoredTickRow[]> {
  const rows: StoredTickRow[] = [];
  for await (const page of readTicks(db, { from: new Date(0), to: new Date('2100-01-01'), pageSize: 100 })) rows.push(...page);
  return rows;
}

describeEachBackend(`marketdesk tick format export → replay round trip${needsSharedData(KITE_TICKS)}`, (backend) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'marketdesk-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasSharedData(KITE_TICKS))('replaying an export stores exactly the ticks that were exported', async () => {
    const first = await replay(backend, sharedData(KITE_TICKS));
    const exported = await allTicks(first.db);
    await first.destroy();
    expect(exported).toHaveLength(271);
    expect(exported[0]).toMatchObject({ instrumentToken: 12683010, exchange: 'NFO', tradingsymbol: 'NIFTY25DECFUT', ltp: 25978.5, volume: 3332925 });

    const file = path.join(dir, 'export.csv');
    writeFileSync(file, `${MARKETDESK_HEADER}\n${exported.map(formatMarketdeskCsvRow).join('\n')}\n`);
    const second = await replay(backend, file);
    const replayed = await allTicks(second.db);
    await second.destroy();
    expect(replayed).toEqual(exported);
  });
});
