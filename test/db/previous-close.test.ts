/**
 * Previous close as of an IST day (lib/db/queries/previous-close.ts) on the embedded
 * TimescaleDB, and its use by the home page's first paint (getLatestQuotes) and intraday stats:
 * official day candle first, else the provisional roll-up of the last day before D; unknown →
 * null change, never the day's first price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, upsertOfficialDailyCandles, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { getDayStats } from '@/lib/db/queries/intraday';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { getPreviousCloses } from '@/lib/db/queries/previous-close';
import { getLatestQuotes } from '@/lib/db/queries/quotes';
import { writeTicks } from '@/lib/db/queries/ticks';
import { istDateStart, parseIstLocal } from '@/lib/market/session';
import { equity } from '../support/desk-history';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const A = equity(101, 'AAA'); // provisional day on Tue newer than an official Mon
const B = equity(102, 'BBB'); // official and provisional on Tue: official wins
const C = equity(103, 'CCC'); // no history at all
const D = equity(104, 'DDD'); // only today's candles

const MON = '2026-03-09';
const TUE = '2026-03-10';
const WED = '2026-03-11';

/** Two 1m candles (09:15 and 15:29 IST) of one day, the last closing at `close`. */
function day(token: number, date: string, open: number, close: number): OneMinuteCandle[] {
  const base = { instrumentToken: token, volume: 100, oi: null };
  return [
    { ...base, bucket: parseIstLocal(`${date} 09:15:00`), open, high: open, low: open, close: open },
    { ...base, bucket: parseIstLocal(`${date} 15:29:00`), open: close, high: close, low: close, close },
  ];
}

const official = (token: number, date: string, close: number): OneMinuteCandle => ({
  instrumentToken: token,
  bucket: istDateStart(date),
  open: close,
  high: close,
  low: close,
  close,
  volume: 1000,
  oi: null,
});

describeEachBackend('previous close', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;

  beforeAll(async () => {
    db = database.db;
    await upsertInstruments(db, [A, B, C, D]);
    await upsertOneMinuteCandles(db, [
      ...day(A.instrumentToken, MON, 90, 95),
      ...day(A.instrumentToken, TUE, 96, 100),
      ...day(A.instrumentToken, WED, 101, 104),
      ...day(B.instrumentToken, TUE, 480, 500),
      ...day(B.instrumentToken, WED, 505, 510),
      ...day(D.instrumentToken, WED, 40, 41),
    ]);
    await upsertOfficialDailyCandles(db, [official(A.instrumentToken, MON, 94.5), official(B.instrumentToken, TUE, 505)], 'kite');
    await refreshCandleAggregates(db, new Date(istDateStart(MON) - 86_400_000), new Date(istDateStart(WED) + 86_400_000));
    // Wednesday's ticks: the home page's latest quotes.
    await writeTicks(db, [
      { ...makeTick({ instrumentToken: A.instrumentToken, tradingsymbol: A.tradingsymbol, exchangeTime: parseIstLocal(`${WED} 15:29:30`), ltp: 104, volume: 200 }), seq: 0 },
      { ...makeTick({ instrumentToken: B.instrumentToken, tradingsymbol: B.tradingsymbol, exchangeTime: parseIstLocal(`${WED} 15:29:30`), ltp: 510, volume: 200 }), seq: 0 },
      { ...makeTick({ instrumentToken: C.instrumentToken, tradingsymbol: C.tradingsymbol, exchangeTime: parseIstLocal(`${WED} 15:29:30`), ltp: 7, volume: 200 }), seq: 0 },
      { ...makeTick({ instrumentToken: D.instrumentToken, tradingsymbol: D.tradingsymbol, exchangeTime: parseIstLocal(`${WED} 15:29:30`), ltp: 41, volume: 200 }), seq: 0 },
    ]);
  });
  afterAll(async () => {
  });

  it('takes the last daily candle before the IST day: official first, else the provisional roll-up', async () => {
    const closes = await getPreviousCloses(db, [A, B, C, D].map((i) => i.instrumentToken), parseIstLocal(`${WED} 10:00:00`));
    // A: Tuesday's provisional close beats Monday's older official one.
    expect(closes.get(A.instrumentToken)).toEqual({ close: 100, date: TUE, source: 'provisional' });
    // B: Tuesday's official close (505) replaces the roll-up (500).
    expect(closes.get(B.instrumentToken)).toEqual({ close: 505, date: TUE, source: 'official' });
    // C and D: nothing before Wednesday → unknown.
    expect(closes.has(C.instrumentToken)).toBe(false);
    expect(closes.has(D.instrumentToken)).toBe(false);
    // As of Tuesday, A's previous close is Monday's official close.
    expect((await getPreviousCloses(db, [A.instrumentToken], istDateStart(TUE))).get(A.instrumentToken)).toEqual({
      close: 94.5,
      date: MON,
      source: 'official',
    });
    expect(await getPreviousCloses(db, [], Date.now())).toEqual(new Map());
  });

  it("gives the home page's first paint change against the previous close, null when unknown", async () => {
    const quotes = new Map((await getLatestQuotes(db)).map((q) => [q.tradingsymbol, q]));
    expect(quotes.get('AAA')).toMatchObject({ ltp: 104, prevClose: 100, change: 4, changePct: 4 });
    expect(quotes.get('BBB')).toMatchObject({ ltp: 510, prevClose: 505, change: 5 });
    expect(quotes.get('BBB')!.changePct).toBeCloseTo((5 / 505) * 100, 10);
    // Never against the day's open (40 for DDD) or the first price seen.
    expect(quotes.get('CCC')).toMatchObject({ prevClose: null, change: null, changePct: null });
    expect(quotes.get('DDD')).toMatchObject({ prevClose: null, change: null, changePct: null });
    const only = await getLatestQuotes(db, { instrumentTokens: [B.instrumentToken] });
    expect(only.map((q) => q.tradingsymbol)).toEqual(['BBB']);
  });

  it('intraday day stats use the same previous close', async () => {
    expect(await getDayStats(db, B.instrumentToken, WED)).toMatchObject({ previousClose: 505, change: 5, changePercent: 0.99 });
    expect(await getDayStats(db, D.instrumentToken, WED)).toMatchObject({ previousClose: null, change: null, changePercent: null });
  });
});
