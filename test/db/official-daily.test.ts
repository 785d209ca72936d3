/**
 * Provisional day bars (roll-ups of 1m candles) are replaced by the broker's official day
 * candles, fetched with the real KiteConnect client from a local server speaking Kite's
 * historical API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { getCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { KiteHistoricalSource } from '@/worker/sources/kite/historical';
import { syncOfficialDailyCandles } from '@/worker/backfill/official-daily';
import { readCsvRecords } from '@/worker/import/csv-records';
import { parseKiteTimestamp } from '@/worker/import/kite-candles';
import { importKiteCandles } from '@/worker/import/run-import';
import { startKiteRestServer, type KiteRestServer, type ServedCandle } from '../support/kite-rest-server';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const ONE_MINUTE = 'easyaccounts-tradingapp/reliance_1min_60days.csv';
const DAILY = 'easyaccounts-tradingapp/reliance_daily_2000days.csv';
const RELIANCE = 738561;
const ist = (text: string) => new Date(`${text}T00:00:00+05:30`);

describeEachBackend(`official daily candles replace provisional roll-ups${needsSharedData(ONE_MINUTE, DAILY)}`, (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let kite: KiteRestServer;
  const official = new Map<number, ServedCandle>();

  beforeAll(async () => {
    if (!hasSharedData(ONE_MINUTE, DAILY)) return;
    db = database.db;
    await upsertInstruments(db, [
      { instrumentToken: RELIANCE, exchange: 'NSE', tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', segment: 'NSE', instrumentType: 'EQ', tickSize: 0.1, lotSize: 1, expiry: null, strike: null },
    ]);
    await importKiteCandles(db, sharedData(ONE_MINUTE), RELIANCE);
    for await (const record of readCsvRecords(sharedData(DAILY))) {
      const bucket = parseKiteTimestamp(record.date);
      official.set(bucket, { bucket, open: +record.open, high: +record.high, low: +record.low, close: +record.close, volume: +record.volume });
    }
    kite = await startKiteRestServer();
    kite.dailyCandles.set(RELIANCE, [...official.values()]);
  });
  afterAll(async () => {
    await kite?.close();
  });

  it.skipIf(!hasSharedData(ONE_MINUTE, DAILY))('stores Kite’s day candles for the provisional days and serves them for 1d', async () => {
    const range = { instrumentToken: RELIANCE, timeframe: '1d' as const, from: ist('2025-10-29'), to: ist('2025-11-05') };
    const before = await getCandles(db, range);
    expect(before.map((c) => c.provisional)).toEqual([true, true, true, true, true]); // 29, 30, 31 Oct, 3, 4 Nov
    // The roll-up of 1m bars is not Kite's day candle (official close, extra volume).
    const kite29 = official.get(ist('2025-10-29').getTime())!;
    expect(before[0].close === kite29.close && before[0].volume === kite29.volume).toBe(false);

    const source = new KiteHistoricalSource({ apiKey: 'test', accessToken: 'test', root: kite.url });
    const summary = await syncOfficialDailyCandles(db, source, { from: ist('2025-10-29'), to: ist('2025-11-01') });
    expect(summary).toEqual({ instruments: 1, candles: 3, failures: [] });

    const after = await getCandles(db, range);
    expect(after.map((c) => c.provisional)).toEqual([false, false, false, true, true]);
    for (const candle of after.slice(0, 3)) {
      const expected = official.get(candle.bucket.getTime())!;
      expect([candle.open, candle.high, candle.low, candle.close, candle.volume]).toEqual([
        expected.open, expected.high, expected.low, expected.close, expected.volume,
      ]);
    }
    // Nothing provisional is left in that range: a second sync asks the broker nothing.
    const requests = kite.requests.total;
    expect(await syncOfficialDailyCandles(db, source, { from: ist('2025-10-29'), to: ist('2025-11-01') })).toEqual({ instruments: 0, candles: 0, failures: [] });
    expect(kite.requests.total).toBe(requests);
  });
});
