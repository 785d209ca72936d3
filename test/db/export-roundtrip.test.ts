/**
 * The project's own tick format round-trips: ticks replayed from a real Kite capture, exported
 * from the `ticks` table in the marketdesk format, and replayed again, are the same ticks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase, type Database } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { readTicks, type StoredTickRow } from '@/lib/db/queries/tick-export';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { TickPipeline } from '@/worker/pipeline/pipeline';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';

const KITE_TICKS = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';

async function replay(file: string): Promise<Database> {
  const db = await openEmbeddedDatabase();
  await migrateDatabase(db);
  const feed = createReplayFeed({ file, speed: 'max' });
  const pipeline = new TickPipeline({ db, flushSize: 1000, flushIntervalMs: 1000, maxBufferTicks: 10_000, candleGraceMs: 0, clock: () => feed.now() });
  pipeline.start();
  for await (const batch of feed.ticks(new AbortController().signal)) await pipeline.accept(batch);
  await pipeline.stop();
  return db;
}

async function allTicks(db: Database): Promise<StoredTickRow[]> {
  const rows: StoredTickRow[] = [];
  for await (const page of readTicks(db, { from: new Date(0), to: new Date('2100-01-01'), pageSize: 100 })) rows.push(...page);
  return rows;
}

describe(`marketdesk tick format export → replay round trip${needsSharedData(KITE_TICKS)}`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'marketdesk-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasSharedData(KITE_TICKS))('replaying an export stores exactly the ticks that were exported', async () => {
    const first = await replay(sharedData(KITE_TICKS));
    const exported = await allTicks(first);
    await first.close();
    expect(exported).toHaveLength(271);
    expect(exported[0]).toMatchObject({ instrumentToken: 12683010, exchange: 'NFO', tradingsymbol: 'NIFTY25DECFUT', ltp: 25978.5, volume: 3332925 });

    const file = path.join(dir, 'export.csv');
    writeFileSync(file, `${MARKETDESK_HEADER}\n${exported.map(formatMarketdeskCsvRow).join('\n')}\n`);
    const second = await replay(file);
    const replayed = await allTicks(second);
    await second.close();
    expect(replayed).toEqual(exported);
  });
});
