/**
 * GET /api/indicators with a worker (lib/api/candles/candle-window.ts): the candles of the range
 * come from the same reader as /api/candles (the worker's memory, unflushed closed candles and
 * the open candle included, then the database), so there is one point per candle that route
 * answers, and the open candle's study values equal a computation over all of them. Both
 * backends; the worker's memory is a real CandleCache served in process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import { GET as indicatorsRoute } from '@/app/api/indicators/route';
import { clearResponseCaches } from '@/lib/api/candles/response-cache';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { WorkerPorts } from '@/lib/gateway';
import type { Candle } from '@/lib/market/tick';
import { clearWebRuntime, registerWebRuntime } from '@/lib/runtime/registry';
import { CandleCache } from '@/worker/pipeline/candle-cache';
import { equity } from '../support/desk-history';
import { emaRef, syntheticSessions } from '../support/study-references';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const TOKEN = 990_002;
const SYMBOL = encodeURIComponent('NSE:MEMCO');
const bars = syntheticSessions('2025-11-03', 2); // Mon 3 and Tue 4 Nov 2025, 375 1m candles each
const STORED = bars.length - 30; // the last 30 minutes are only in the worker's memory
const asCandle = (b: (typeof bars)[number], closed: boolean): Candle => ({ ...b, instrumentToken: TOKEN, symbol: 'NSE:MEMCO', timeframe: '1m', closed, oi: null });
const FROM = new Date(bars[0].bucket).toISOString();
const TO = new Date(bars.at(-1)!.bucket + 60_000).toISOString();

describeEachBackend('GET /api/indicators with the worker’s memory', (backend) => {
  const database = useTestDatabase(backend);

  beforeAll(async () => {
    const db = database.db;
    clearResponseCaches();
    await upsertInstruments(db, [equity(TOKEN, 'MEMCO')]);
    await upsertOneMinuteCandles(db, bars.slice(0, STORED).map((b) => ({ ...b, instrumentToken: TOKEN, oi: null, partial: false })));
    const open = asCandle(bars.at(-1)!, false);
    const cache = new CandleCache({ current: (token, timeframe) => (token === TOKEN && timeframe === '1m' ? open : undefined) });
    for (const b of bars.slice(STORED - 5, -1)) cache.add(asCandle(b, true));
    const ports = { recentCandles: (q) => cache.read(q.instrumentToken, q.timeframe, q.from, q.to) } as Partial<WorkerPorts> as WorkerPorts;
    registerWebRuntime({ db, worker: { kind: 'in-process', ports }, realtime: 'same-origin' });
  });
  afterAll(() => clearWebRuntime());

  it('one point per candle of /api/candles, the unflushed and open candles included', async () => {
    const query = `symbol=${SYMBOL}&timeframe=1m&from=${FROM}&to=${TO}`;
    const candles = (await (await candlesRoute(new Request(`http://localhost/api/candles?${query}`))).json()) as Body;
    expect(candles.candles).toHaveLength(bars.length);
    const response = await indicatorsRoute(new Request(`http://localhost/api/indicators?${query}&studies=ema:20,vwap`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Body;
    const [ema, vwap] = body.studies as { id: string; values: { time: string; value: number | null }[] }[];
    expect(ema.values.map((v) => v.time)).toEqual((candles.candles as Body[]).map((c) => c.time));
    const expected = emaRef(bars.map((b) => b.close), 20);
    expect(ema.values.at(-1)!.value).toBeCloseTo(expected.at(-1)!, 8);
    expect(vwap.values.at(-1)!.value).toBeTypeOf('number');
  });
});
