import { beforeAll, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { copyTicks, countDuplicateTicks, countTicks, writeTicks } from '@/lib/db/queries/ticks';
import type { Tick } from '@/lib/market/tick';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const base: Tick = {
  instrumentToken: 12683010,
  exchange: 'NFO',
  tradingsymbol: 'NIFTY25DECFUT',
  exchangeTime: Date.parse('2025-12-29T07:17:00.123Z'),
  ltp: 25978.5,
  lastQuantity: 75,
  volume: 3332925,
  averagePrice: 26024.12,
  oi: 11148150,
  bidPrice: 25975.6,
  bidQuantity: 75,
  askPrice: 25978.5,
  askQuantity: 75,
  feed: 'replay',
};

describeEachBackend('binary COPY tick writer', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  beforeAll(() => {
    db = database.db;
  });

  it('stores every field exactly, nulls included, including tokens above 2^32 and times before 2000', async () => {
    const ticks: Tick[] = [
      base,
      { ...base, instrumentToken: 2 ** 33 + 12345, exchangeTime: Date.parse('1999-12-31T23:59:59.999Z'), averagePrice: null, oi: null, bidPrice: null, bidQuantity: null, askPrice: null, askQuantity: null, feed: 'simulator' },
    ];
    await copyTicks(db, ticks);
    const rows = await db.query<Record<string, unknown>>(
      `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS time, instrument_token::text AS token, ltp, last_quantity, volume::text AS volume,
              average_price, oi::text AS oi, bid_price, bid_quantity, ask_price, ask_quantity, feed
       FROM ticks ORDER BY time DESC`,
    );
    expect(rows[0]).toEqual({
      time: '2025-12-29T07:17:00.123', token: '12683010', ltp: 25978.5, last_quantity: 75, volume: '3332925',
      average_price: 26024.12, oi: '11148150', bid_price: 25975.6, bid_quantity: 75, ask_price: 25978.5, ask_quantity: 75, feed: 'replay',
    });
    expect(rows[1]).toEqual({
      time: '1999-12-31T23:59:59.999', token: String(2 ** 33 + 12345), ltp: 25978.5, last_quantity: 75, volume: '3332925',
      average_price: null, oi: null, bid_price: null, bid_quantity: null, ask_price: null, ask_quantity: null, feed: 'simulator',
    });
  });

  it('writes a 10,000-tick batch in one statement and a failing batch stores nothing', async () => {
    const before = await countTicks(db);
    // Starts 1 ms after the tick stored above: ticks have a unique natural key (drizzle/0002_storage.sql).
    const batch = Array.from({ length: 10_000 }, (_, i) => ({ ...base, exchangeTime: base.exchangeTime + 1 + i, volume: base.volume + i }));
    await copyTicks(db, batch);
    expect(await countTicks(db)).toBe(before + 10_000);
    // ltp is NOT NULL: one bad row rejects the whole COPY, nothing partial.
    const broken = [...batch.slice(0, 5), { ...base, ltp: null as unknown as number }];
    await expect(copyTicks(db, broken)).rejects.toThrow();
    expect(await countTicks(db)).toBe(before + 10_000);
  });

  it('writeTicks stores a fresh batch by COPY, and a resent or overlapping batch only adds what is new', async () => {
    const before = await countTicks(db);
    const start = Date.parse('2025-12-30T04:00:00Z');
    const batch = Array.from({ length: 500 }, (_, i) => ({ ...base, exchangeTime: start + i * 10, volume: base.volume + i, seq: 0 }));
    expect(await writeTicks(db, batch)).toBe(500);
    expect(await writeTicks(db, batch)).toBe(0); // resent after a timeout: nothing doubled
    const overlapping = [...batch.slice(400), ...Array.from({ length: 50 }, (_, i) => ({ ...batch[0], exchangeTime: start + 10_000 + i, seq: 0 }))];
    expect(await writeTicks(db, overlapping)).toBe(50);
    // A genuine repeat of the same trade snapshot (same time, volume, LTP) carries seq 1 and is kept.
    expect(await writeTicks(db, [{ ...batch[0], seq: 1 }])).toBe(1);
    expect(await countTicks(db)).toBe(before + 551);
  });

  // The COPY of a batch holding an already-stored tick must fail at once (postgres.js 3.4.9
  // never reported it on a server: porsager/postgres#1173), so writeTicks falls back to the
  // idempotent insert and stores the new tick.
  it('a batch of one stored tick plus one new tick: the COPY fails at once, exactly the new tick is stored', async () => {
    const stored = { ...base, exchangeTime: Date.parse('2025-12-31T04:00:00Z'), seq: 0 };
    const fresh = { ...stored, exchangeTime: stored.exchangeTime + 1 };
    expect(await writeTicks(db, [stored])).toBe(1);
    const before = await countTicks(db);
    const started = Date.now();
    await expect(copyTicks(db, [stored, fresh])).rejects.toMatchObject({ code: '23505' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await countTicks(db)).toBe(before); // nothing of the failed COPY applied
    expect(await writeTicks(db, [stored, fresh])).toBe(1);
    expect(await countTicks(db)).toBe(before + 1);
    // The COPY connection is usable after the error: a fresh batch goes through COPY again.
    expect(await writeTicks(db, [{ ...fresh, exchangeTime: fresh.exchangeTime + 1 }])).toBe(1);
    expect(await countDuplicateTicks(db)).toBe(0);
  });

  it('resent and overlapping batches in a row store exactly the new ticks', async () => {
    const start = Date.parse('2026-01-05T04:00:00Z');
    const all = Array.from({ length: 3000 }, (_, i) => ({ ...base, exchangeTime: start + i, volume: base.volume + i, seq: 0 }));
    const before = await countTicks(db);
    let written = 0;
    // Windows of 1,000 advancing by 500: every batch after the first overlaps the previous one by half, and each is sent twice.
    for (let from = 0; from < all.length; from += 500) {
      const batch = all.slice(from, from + 1000);
      written += await writeTicks(db, batch);
      written += await writeTicks(db, batch);
    }
    expect(written).toBe(3000);
    expect(await countTicks(db)).toBe(before + 3000);
    expect(await countDuplicateTicks(db)).toBe(0);
  });
});
