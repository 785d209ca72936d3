/**
 * Issue 8, item 5: a closed 1m candle is reflected in 5m, 15m, 30m, 1h and 1d as soon as
 * `AggregateRefresher.afterWrite` resolves, on the embedded TimescaleDB, including right after a
 * whole-day refresh (a replay ending) and after a watermark moved by someone else.
 *
 * 1m candles are written the way the pipeline does (upsertOneMinuteCandles per flush, then
 * afterWrite with the flushed bucket starts), and after every flush each aggregate is compared,
 * bucket by bucket, with an oracle rolled up in memory from the same 1m candles (open = first,
 * high = max, low = min, close = last, volume = sum). No wall-clock sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import {
  CANDLE_AGGREGATES,
  getCandleAggregateWatermarks,
  getCandles,
  refreshCandleAggregate,
  refreshCandleAggregates,
  upsertOneMinuteCandles,
  type CandleAggregate,
  type OneMinuteCandle,
} from '@/lib/db/queries/candles';
import { bucketEnd, bucketStart, istDayStart } from '@/lib/market/session';
import { AggregateRefresher } from '@/worker/pipeline/aggregate-refresher';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const MINUTE = 60_000;
const DAY = 86_400_000;
const TOKENS = [101, 102];
const ist = (text: string) => new Date(`${text}+05:30`).getTime();

/** The 1m candles written so far, by instrument and bucket (the oracle's input). */
type Written = Map<number, Map<number, OneMinuteCandle>>;

function minuteCandle(token: number, bucket: number, salt = 0): OneMinuteCandle {
  const i = Math.round(bucket / MINUTE) % 997;
  const base = 100 + token + ((i * 37 + salt * 11) % 50) / 4;
  return {
    instrumentToken: token,
    bucket,
    open: base,
    high: base + 1.5,
    low: base - 0.75,
    close: base + 0.25,
    volume: 1000 + ((i * 13 + salt) % 97),
    oi: null,
  };
}

/** Upsert like CandleWriter.flush, then hand the buckets to the refresher like the pipeline. */
async function flush(db: Database, refresher: AggregateRefresher, written: Written, candles: OneMinuteCandle[]) {
  await upsertOneMinuteCandles(db, candles);
  for (const candle of candles) {
    if (!written.has(candle.instrumentToken)) written.set(candle.instrumentToken, new Map());
    written.get(candle.instrumentToken)!.set(candle.bucket, candle);
  }
  const started = performance.now();
  await refresher.afterWrite(candles.map((c) => c.bucket));
  return performance.now() - started;
}

function minutes(from: number, count: number, salt = 0): OneMinuteCandle[] {
  return Array.from({ length: count }, (_, i) => TOKENS.map((t) => minuteCandle(t, from + i * MINUTE, salt))).flat();
}

interface Bar {
  bucket: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function rollUp(candles: OneMinuteCandle[], timeframe: CandleAggregate): Bar[] {
  const bars = new Map<number, Bar>();
  for (const c of [...candles].sort((a, b) => a.bucket - b.bucket)) {
    const bucket = bucketStart(c.bucket, timeframe);
    const bar = bars.get(bucket);
    if (!bar) bars.set(bucket, { bucket, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
    else {
      bar.high = Math.max(bar.high, c.high);
      bar.low = Math.min(bar.low, c.low);
      bar.close = c.close;
      bar.volume += c.volume;
    }
  }
  return [...bars.values()].sort((a, b) => a.bucket - b.bucket);
}

/** Per aggregate and instrument: the stored bars of [from, to) minus the oracle's ("" when equal). */
async function staleAggregates(db: Database, written: Written, from: number, to: number): Promise<string[]> {
  const stale: string[] = [];
  for (const timeframe of CANDLE_AGGREGATES) {
    for (const token of TOKENS) {
      const ones = [...(written.get(token)?.values() ?? [])].filter((c) => c.bucket >= from && c.bucket < to);
      const expected = rollUp(ones, timeframe);
      const stored = (
        await getCandles(db, {
          instrumentToken: token,
          timeframe,
          from: new Date(bucketStart(from, timeframe)),
          to: new Date(to),
        })
      ).map(({ bucket, open, high, low, close, volume }) => ({ bucket: bucket.getTime(), open, high, low, close, volume }));
      const differ = JSON.stringify(stored) !== JSON.stringify(expected);
      if (differ) {
        const last = expected.at(-1);
        const got = stored.find((bar) => bar.bucket === last?.bucket);
        stale.push(`${timeframe}/${token}: newest expected ${JSON.stringify(last)}, stored ${JSON.stringify(got)}`);
      }
    }
  }
  return stale;
}

/** Make the database look like one that has been live: every watermark near now. */
async function beenLive(db: Database): Promise<void> {
  const recent = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
  await upsertOneMinuteCandles(db, [minuteCandle(1, recent)]);
  await refreshCandleAggregates(db, new Date(istDayStart(recent) - DAY), new Date(istDayStart(recent) + DAY));
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `n=${ms.length} median=${pick(0.5)} ms p90=${pick(0.9)} ms max=${pick(1)} ms`;
}

describeEachBackend('higher timeframes are fresh right after each 1m flush', (backend) => {
  const database = useTestDatabase(backend, { perTest: true });
  let db: Database;
  beforeEach(async () => {
    db = database.db;
  });

  for (const history of ['been live', 'fresh'] as const) {
    it(`a 2022 session replayed into a ${history} database, with a whole-day refresh in the middle`, async () => {
      if (history === 'been live') await beenLive(db);
      const refresher = new AggregateRefresher(db);
      const written: Written = new Map();
      const day = ist('2022-11-30T00:00:00');
      const open = ist('2022-11-30T09:15:00');
      const costs: number[] = [];
      // Flushes of 1, 2, 3, 5, 7 and 4 minutes crossing every 5m, 15m, 30m and 1h boundary.
      const sizes = [1, 2, 3, 5, 7, 4];
      let next = open;
      for (let f = 0; next < ist('2022-11-30T11:30:00'); f++) {
        const batch = minutes(next, sizes[f % sizes.length]);
        next += sizes[f % sizes.length] * MINUTE;
        if (f === 0 && history === 'been live') {
          // Without the refresher the aggregates lag (the check below can fail).
          await upsertOneMinuteCandles(db, batch);
          expect((await staleAggregates(db, new Map([[101, new Map(batch.filter((c) => c.instrumentToken === 101).map((c) => [c.bucket, c]))]]), day, day + DAY)).length).toBeGreaterThan(0);
        }
        costs.push(await flush(db, refresher, written, batch));
        expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
      }

      // The replay "ends": its whole day is materialised (refresh() at stop; the old 30 s timer
      // and the backfill do the same with refreshCandleAggregates). Watermarks move past the day.
      await refresher.refresh();
      await refreshCandleAggregates(db, new Date(day), new Date(day + DAY));
      const watermarks = await getCandleAggregateWatermarks(db);
      expect(watermarks['1d']).toBeGreaterThanOrEqual(day + DAY);
      expect(watermarks['5m']).toBeGreaterThanOrEqual(bucketEnd(next - MINUTE, '5m'));
      expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);

      // Candles of the same day keep coming (the last minutes of the replay, a second replay, a
      // late amendment of a materialised minute): without afterWrite 1d would now lag ...
      const late = minutes(next, 3);
      await upsertOneMinuteCandles(db, late);
      const lateWritten: Written = new Map(
        TOKENS.map((t) => [t, new Map([...written.get(t)!, ...late.filter((c) => c.instrumentToken === t).map((c) => [c.bucket, c] as const)])]),
      );
      expect((await staleAggregates(db, lateWritten, day, day + DAY)).some((s) => s.startsWith('1d/'))).toBe(true);
      // ... and with it every aggregate includes them.
      costs.push(await flush(db, refresher, written, late));
      next += 3 * MINUTE;
      expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
      for (const amended of [open + 7 * MINUTE, next - 2 * MINUTE, open]) {
        costs.push(await flush(db, refresher, written, TOKENS.map((t) => minuteCandle(t, amended, 5))));
        expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
      }
      for (let f = 0; f < 6; f++) {
        const batch = minutes(next, 2);
        next += 2 * MINUTE;
        costs.push(await flush(db, refresher, written, batch));
        expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
      }
      await refresher.refresh();
      expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
      expect(refresher.failures).toBe(0);
      console.log(`afterWrite on a 2022 day, ${history} database, 2 instruments: ${summary(costs)}; refresh calls ${refresher.refreshes}`);
    });
  }

  it('a watermark moved by someone else over candles served in real time: caught on the next (empty) flush', async () => {
    const refresher = new AggregateRefresher(db);
    const written: Written = new Map();
    const day = ist('2022-11-30T00:00:00');
    await flush(db, refresher, written, minutes(ist('2022-11-30T10:02:00'), 2));
    expect(refresher.refreshes).toBe(0); // nothing materialised yet: all real-time
    expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);

    // An import (or a policy on newer data) materialises a later day only: every watermark
    // jumps past 2022-11-30 whose candles were never materialised.
    const later = ist('2023-01-02T09:15:00');
    await upsertOneMinuteCandles(db, [minuteCandle(1, later)]);
    for (const timeframe of CANDLE_AGGREGATES) {
      await refreshCandleAggregate(db, timeframe, new Date(istDayStart(later) - 45 * MINUTE), new Date(istDayStart(later) + DAY + 15 * MINUTE));
    }
    expect((await staleAggregates(db, written, day, day + DAY)).length).toBeGreaterThan(0);

    await refresher.afterWrite([]);
    expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
  });

  it('a failed refresh is retried on the next flush (the refresher never throws)', async () => {
    let failNext = 0;
    const flaky: Database = {
      ...db,
      query: (text, params) => {
        if (failNext > 0 && text.includes('refresh_continuous_aggregate')) {
          failNext--;
          return Promise.reject(new Error('connection reset'));
        }
        return db.query(text, params);
      },
    };
    await beenLive(db);
    const refresher = new AggregateRefresher(flaky);
    const written: Written = new Map();
    const day = ist('2022-11-30T00:00:00');
    failNext = 1;
    await flush(db, refresher, written, minutes(ist('2022-11-30T10:02:00'), 2));
    expect(refresher.failures).toBe(1);
    expect((await staleAggregates(db, written, day, day + DAY)).length).toBeGreaterThan(0);
    await refresher.afterWrite([]);
    expect(await staleAggregates(db, written, day, day + DAY)).toEqual([]);
  });

  it('recent (today) candles: live minutes, then a late amendment of a materialised minute', async () => {
    const refresher = new AggregateRefresher(db);
    const runPolicies = async () => {
      const jobs = await db.query<{ job_id: number }>(
        `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY job_id`,
      );
      expect(jobs).toHaveLength(5);
      for (const job of jobs) await db.query(`CALL run_job($1)`, [job.job_id]);
    };
    const written: Written = new Map();
    const lastClosed = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
    const first = lastClosed - 100 * MINUTE;
    const from = istDayStart(first) - DAY;
    const to = lastClosed + DAY;

    // The session so far, then the refresh policies as the embedded job runner runs them.
    await flush(db, refresher, written, minutes(first, 80));
    await runPolicies();
    const watermarks = await getCandleAggregateWatermarks(db);
    expect(watermarks['5m']).toBeGreaterThan(first);
    expect(await staleAggregates(db, written, from, to)).toEqual([]);

    // The policies passed buckets written in the burst but served in real time until then:
    // the next (empty) flush re-examines them.
    await refresher.afterWrite([]);
    expect(await staleAggregates(db, written, from, to)).toEqual([]);

    // Live minutes, one flush each: each is visible in every aggregate after its flush, and a
    // minute whose buckets all lie at or above the watermarks (read before its flush) is served
    // in real time: its flush costs watermark reads and no refresh. (Minutes just behind the
    // 5m policy's end are refreshed: they arrive "late" for it.)
    const costs: number[] = [];
    let live = 0;
    for (let m = first + 80 * MINUTE; m <= lastClosed; m += MINUTE) {
      const marks = await getCandleAggregateWatermarks(db);
      const above = CANDLE_AGGREGATES.every((timeframe) => bucketStart(m, timeframe) >= marks[timeframe]);
      const before = refresher.refreshes;
      costs.push(await flush(db, refresher, written, minutes(m, 1)));
      if (above) {
        live++;
        expect(refresher.refreshes).toBe(before);
      }
      expect(await staleAggregates(db, written, from, to)).toEqual([]);
    }
    expect(live).toBeGreaterThanOrEqual(3);
    const liveFlushes = costs.length;

    // A late tick amends a minute that the policies have materialised.
    await runPolicies();
    const amended = first + 10 * MINUTE;
    expect(amended).toBeLessThan((await getCandleAggregateWatermarks(db))['5m']);
    await upsertOneMinuteCandles(db, TOKENS.map((t) => minuteCandle(t, amended, 9)));
    const amendedWritten: Written = new Map(
      TOKENS.map((t) => [t, new Map([...written.get(t)!, [amended, minuteCandle(t, amended, 9)]])]),
    );
    expect((await staleAggregates(db, amendedWritten, from, to)).length).toBeGreaterThan(0);
    costs.push(await flush(db, refresher, written, TOKENS.map((t) => minuteCandle(t, amended, 9))));
    expect(await staleAggregates(db, written, from, to)).toEqual([]);
    expect(refresher.failures).toBe(0);
    console.log(`afterWrite on today's candles, 2 instruments: ${summary(costs)}; ${live} of ${liveFlushes} live flushes above every watermark`);
  });
});
