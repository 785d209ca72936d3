/**
 * Real recorded sessions through the real pipeline (replay feed at max speed → aggregator →
 * binary COPY writer and 1m upserts → continuous aggregates) on the embedded TimescaleDB.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { getCandles, refreshCandleAggregates } from '@/lib/db/queries/candles';
import { countTicks } from '@/lib/db/queries/ticks';
import { replayIntoDatabase } from '../support/replay';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const NSE_DAY = 'nse-nifty-1s-vs-1m/anshkumar_2022-11-30.csv';
const VENDOR_DAY = 'nse-nifty-1s-vs-1m/aeron7_2022-11-30_NIFTY.txt';
const KITE_TICKS = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';
const ist = (text: string) => new Date(`${text}+05:30`);

describeEachBackend(`replaying real sessions through the pipeline${needsSharedData(NSE_DAY, VENDOR_DAY, KITE_TICKS)}`, (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  beforeAll(async () => {
    db = database.db;
    // A database that has been live: recent candles materialised, so every aggregate's
    // watermark is near now and real-time aggregation no longer covers 2022 or 2025 rows.
    const recent = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    await db.query(`INSERT INTO candles_1m VALUES (to_timestamp($1 / 1000.0), 1, 1, 1, 1, 1, 1, NULL)`, [recent]);
    await refreshCandleAggregates(db, new Date(recent - 2 * 86_400_000), new Date(recent + 86_400_000));
  });

  it.skipIf(!hasSharedData(NSE_DAY, VENDOR_DAY))(
    'NSE per-second NIFTY 50 (2022-11-30): every tick stored; 1m closes match an independent vendor’s 1m bars; 5m from the aggregate',
    async () => {
      const lines = readFileSync(sharedData(NSE_DAY), 'utf8').split('\n').filter((l) => l.trim()).length;
      expect((await replayIntoDatabase(db, sharedData(NSE_DAY))).ticksAccepted).toBe(lines);
      expect(await countTicks(db, 256265)).toBe(lines);

      const session = await getCandles(db, {
        instrumentToken: 256265,
        timeframe: '1m',
        from: ist('2022-11-30T09:15:00'),
        to: ist('2022-11-30T15:30:00'),
      });
      expect(session).toHaveLength(375);
      // aeron7 stamps a bar with its END: "09:16" is the 09:15:00–09:15:59 bar.
      const vendorClose = new Map<number, number>();
      for (const line of readFileSync(sharedData(VENDOR_DAY), 'utf8').trim().split('\n')) {
        const [, , hhmm, , , , close] = line.split(',');
        vendorClose.set(ist(`2022-11-30T${hhmm}:00`).getTime() - 60_000, Number(close));
      }
      const mismatched = session.filter((c) => vendorClose.get(c.bucket.getTime()) !== c.close);
      expect(mismatched.map((c) => c.bucket.toISOString())).toEqual([]);

      const fiveMinute = await getCandles(db, {
        instrumentToken: 256265,
        timeframe: '5m',
        from: ist('2022-11-30T09:15:00'),
        to: ist('2022-11-30T15:30:00'),
      });
      expect(fiveMinute).toHaveLength(75);
      expect(fiveMinute[0].bucket).toEqual(ist('2022-11-30T09:15:00'));
      expect(fiveMinute[0].close).toBe(session[4].close);
      expect(fiveMinute[0].high).toBe(Math.max(...session.slice(0, 5).map((c) => c.high)));
      const hourly = await getCandles(db, {
        instrumentToken: 256265,
        timeframe: '1h',
        from: ist('2022-11-30T09:15:00'),
        to: ist('2022-11-30T15:30:00'),
      });
      expect(hourly.map((c) => c.bucket.toISOString().slice(11, 16))).toEqual(['03:45', '04:45', '05:45', '06:45', '07:45', '08:45', '09:45']);
    },
  );

  it.skipIf(!hasSharedData(KITE_TICKS))(
    'Kite full-mode NIFTY futures: candle volume is the difference of cumulative volume, minute by minute',
    async () => {
      expect((await replayIntoDatabase(db, sharedData(KITE_TICKS))).ticksAccepted).toBe(271);
      // Independent computation from the file: last cumulative volume per IST minute.
      const rows = readFileSync(sharedData(KITE_TICKS), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      const lastCumulative = new Map<string, number>();
      for (const row of rows) lastCumulative.set(row[0].slice(0, 16), Number(row[4]));
      const minutes = [...lastCumulative.keys()];
      let previous = Number(rows[0][4]); // the first tick only sets the baseline
      const expected = minutes.map((minute) => {
        const volume = lastCumulative.get(minute)! - previous;
        previous = lastCumulative.get(minute)!;
        return volume;
      });
      const candles = await getCandles(db, {
        instrumentToken: 12683010,
        timeframe: '1m',
        from: new Date('2025-12-29T07:17:00Z'),
        to: new Date('2025-12-29T07:22:00Z'),
      });
      expect(candles.map((c) => c.bucket.toISOString().slice(11, 16))).toEqual(['07:17', '07:18', '07:19', '07:20', '07:21']);
      expect(candles.map((c) => c.volume)).toEqual(expected);
      expect(candles.every((c) => c.oi !== null && c.oi > 11_000_000)).toBe(true);
    },
  );
});
