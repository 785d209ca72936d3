import { beforeAll, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { getCandles, refreshCandleAggregates } from '@/lib/db/queries/candles';
import { findInstrument } from '@/lib/db/queries/instruments';
import { migrateDatabase } from '@/lib/db/migrate';
import type { Timeframe } from '@/lib/market/timeframes';
import { readCsvRecords } from '@/worker/import/csv-records';
import { parseKiteTimestamp } from '@/worker/import/kite-candles';
import { importKiteCandles, importKiteInstruments } from '@/worker/import/run-import';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const FILES = [
  'easyaccounts-tradingapp/reliance_1min_60days.csv',
  'easyaccounts-tradingapp/reliance_15min_200days.csv',
  'easyaccounts-tradingapp/reliance_30min_60days.csv',
  'easyaccounts-tradingapp/reliance_60min_60days.csv',
  'kite-instruments/instruments_nse_2025-07-03.csv',
];

describeEachBackend('migrations', (backend) => {
  const database = useTestDatabase(backend);

  it('apply again without error, and a reopened database is usable', async () => {
    // The test database is a clone of the run's migrated template: these are the 2nd and 3rd applications.
    let db = database.db;
    await migrateDatabase(db);
    await migrateDatabase(db);
    const relations = await db.query<{ view_name: string }>(
      `SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY view_name`,
    );
    expect(relations.map((r) => r.view_name)).toEqual(['candles_15m', 'candles_1d', 'candles_1h', 'candles_30m', 'candles_5m']);
    const hypertables = await db.query<{ hypertable_name: string }>(
      `SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY 1`,
    );
    expect(hypertables.map((h) => h.hypertable_name)).toEqual(['candles_1m', 'order_book', 'ticks']);

    db = await database.reopen();
    await migrateDatabase(db);
    // Inserting into a hypertable after reopen is what fails without LOAD 'timescaledb'.
    await db.query(`INSERT INTO candles_1m VALUES ('2025-10-29T03:45:00Z', 1, 1, 2, 0.5, 1.5, 10, NULL)`);
    await db.query(`INSERT INTO ticks (time, instrument_token, ltp, feed) VALUES (now(), 1, 100, 'replay')`);
    // Refreshed as the pipeline does after a candle flush: on a server, TimescaleDB's scheduler
    // may already have moved the aggregates' watermark past this bucket, and then a real-time
    // aggregate serves it only once it is materialised.
    await refreshCandleAggregates(db, new Date('2025-10-28T00:00:00Z'), new Date('2025-10-30T00:00:00Z'));
    const fiveMinute = await db.query<{ volume: string | number }>(`SELECT volume FROM candles_5m WHERE instrument_token = 1`);
    expect(fiveMinute.map((r) => Number(r.volume))).toEqual([10]);
  });
});

describeEachBackend(`importing Kite's RELIANCE 1m candles reproduces Kite's own 15m, 30m and 1h candles${needsSharedData(...FILES)}`, (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let token: number;

  beforeAll(async () => {
    if (!hasSharedData(...FILES)) return;
    db = database.db;
    const instruments = await importKiteInstruments(db, sharedData(FILES[4]));
    expect(instruments.imported).toBe(8019);
    token = (await findInstrument(db, 'NSE', 'RELIANCE'))!.instrumentToken;
    expect(token).toBe(738561);
    const summary = await importKiteCandles(db, sharedData(FILES[0]), token);
    expect(summary).toMatchObject({ records: 15372, imported: 15372, skipped: 0 });
  });

  const cases: [Timeframe, string, number][] = [
    ['15m', FILES[1], 1025],
    ['30m', FILES[2], 533],
    ['1h', FILES[3], 287],
  ];
  for (const [timeframe, file, expectedShared] of cases) {
    it.skipIf(!hasSharedData(...FILES))(`${timeframe}: every shared bucket equals Kite's, volume included`, async () => {
      const stored = await getCandles(db, {
        instrumentToken: token,
        timeframe,
        from: new Date('2025-10-28T00:00:00Z'),
        to: new Date('2025-12-27T00:00:00Z'),
        limit: 100_000,
      });
      const byBucket = new Map(stored.map((c) => [c.bucket.getTime(), c]));
      let shared = 0;
      const mismatches: string[] = [];
      for await (const record of readCsvRecords(sharedData(file))) {
        const bucket = parseKiteTimestamp(record.date);
        const mine = byBucket.get(bucket);
        if (!mine) continue;
        shared++;
        const kite = [record.open, record.high, record.low, record.close, record.volume].map(Number);
        const ours = [mine.open, mine.high, mine.low, mine.close, mine.volume];
        if (kite.some((value, i) => value !== ours[i])) mismatches.push(`${record.date}: kite ${kite} ours ${ours}`);
      }
      expect(mismatches).toEqual([]);
      expect(shared).toBe(expectedShared);
      // And nothing extra: every bucket we built is one Kite published.
      expect(stored.length).toBe(expectedShared);
    });
  }

  it.skipIf(!hasSharedData(...FILES))('rejects a file of 15-minute candles instead of importing it as 1-minute', async () => {
    await expect(importKiteCandles(db, sharedData(FILES[1]), token)).rejects.toThrow(/15-minute candles/);
  });
});
