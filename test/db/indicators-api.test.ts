/**
 * GET /api/indicators through the real route handler on the embedded TimescaleDB: each study's
 * values equal an independent computation (test/support/study-references.ts) over every stored
 * candle as /api/candles returns them, for a range that starts after the first stored candle
 * (so the warm-up before `from` matters), on 1m and 5m (a continuous aggregate); one point per
 * candle of /api/candles; a bad `studies` is a 400 naming `query.studies`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as candlesRoute } from '@/app/api/candles/route';
import { GET as indicatorsRoute } from '@/app/api/indicators/route';
import { refreshCandleAggregates, upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { equity } from '../support/desk-history';
import { bollingerRef, emaRef, macdRef, rsiRef, smaRef, syntheticSessions, vwapRef } from '../support/study-references';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = async (handler: (r: Request) => Promise<Response>, query: string) => {
  const response = await handler(new Request(`http://localhost/api/x?${query}`));
  return { status: response.status, body: (await response.json()) as Body };
};

const SYMBOL = encodeURIComponent('NSE:STUDYCO');
const STUDIES = 'sma:20,ema:50,vwap,bb:20:2,rsi:14,macd:12:26:9';
const candles = syntheticSessions('2025-11-03', 5); // Mon 3 … Fri 7 Nov 2025, 375 1m candles each
const FIRST = new Date(candles[0].bucket).toISOString();
const END = new Date(candles.at(-1)!.bucket + 86_400_000).toISOString();

function expectClose(actual: (number | null)[], expected: (number | null)[], label: string) {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((a, i) => {
    if (expected[i] === null) expect(a, `${label} #${i}`).toBeNull();
    else expect(a, `${label} #${i}`).toBeCloseTo(expected[i]!, 6);
  });
}

describeEachBackend('GET /api/indicators', (backend) => {
  const database = useTestDatabase(backend);
  beforeAll(async () => {
    const db = database.db;
    await upsertInstruments(db, [equity(990_001, 'STUDYCO')]);
    await upsertOneMinuteCandles(db, candles.map((c) => ({ ...c, instrumentToken: 990_001, oi: null })));
    await refreshCandleAggregates(db, new Date(candles[0].bucket - 86_400_000), new Date(END));
    registerWebRuntime({ db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' }); // no worker
  });

  for (const timeframe of ['1m', '5m'] as const) {
    it(`${timeframe}: every study equals an independent computation over all of /api/candles`, async () => {
      // Every stored candle, as the API gives them.
      const everything = await call(candlesRoute, `symbol=${SYMBOL}&timeframe=${timeframe}&from=${FIRST}&to=${END}`);
      expect(everything.status).toBe(200);
      const stored = (everything.body.candles as Body[]).map((c) => ({ ...c, bucket: Date.parse(c.time) })) as Body[];
      // A range starting in the 4th session: the studies need the stored history before it.
      const from = '2025-11-06T05:00:00.000Z'; // 10:30 IST Thursday
      const to = '2025-11-07T06:30:00.000Z';
      const range = await call(candlesRoute, `symbol=${SYMBOL}&timeframe=${timeframe}&from=${from}&to=${to}`);
      const { status, body } = await call(indicatorsRoute, `symbol=${SYMBOL}&timeframe=${timeframe}&from=${from}&to=${to}&studies=${STUDIES}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ symbol: 'NSE:STUDYCO', timeframe, from, to });
      expect(body.studies.map((s: Body) => s.id)).toEqual(STUDIES.split(','));

      const times = (range.body.candles as Body[]).map((c) => c.time);
      expect(times.length).toBeGreaterThan(50);
      const offset = stored.findIndex((c) => c.time === times[0]);
      expect(offset).toBeGreaterThan(200); // 1m: beyond the EMA(50) warm-up (704), so convergence is what is checked
      const inRange = <T>(values: T[]) => values.slice(offset, offset + times.length);
      const closes = stored.map((c) => c.close as number);
      const byId = Object.fromEntries(body.studies.map((s: Body) => [s.id, s.values as Body[]]));
      for (const values of Object.values(byId) as Body[][]) expect(values.map((v) => v.time)).toEqual(times);

      const pick = (id: string, key: string) => byId[id].map((v: Body) => v[key] as number | null);
      expectClose(pick('sma:20', 'value'), inRange(smaRef(closes, 20)), 'sma');
      expectClose(pick('ema:50', 'value'), inRange(emaRef(closes, 50)), 'ema');
      expectClose(pick('rsi:14', 'value'), inRange(rsiRef(closes, 14)), 'rsi');
      expectClose(pick('vwap', 'value'), inRange(vwapRef(stored as never)), 'vwap');
      const macd = inRange(macdRef(closes, 12, 26, 9));
      for (const key of ['macd', 'signal', 'histogram']) expectClose(pick('macd:12:26:9', key), macd.map((m) => (m as Body)[key]), key);
      const bb = inRange(bollingerRef(closes, 20, 2));
      for (const key of ['upper', 'middle', 'lower']) expectClose(pick('bb:20:2', key), bb.map((m) => (m as Body)[key]), key);
    });
  }

  it('the default window is the one /api/candles answers', async () => {
    const candlesAnswer = await call(candlesRoute, `symbol=${SYMBOL}&timeframe=15m`);
    const { body } = await call(indicatorsRoute, `symbol=${SYMBOL}&timeframe=15m&studies=rsi`);
    expect(body.from).toBe(candlesAnswer.body.from);
    expect(body.studies[0].values.map((v: Body) => v.time)).toEqual(candlesAnswer.body.candles.map((c: Body) => c.time));
  });

  describe('bad parameters', () => {
    it.each([
      ['studies=rsi:0', 'query.studies: "rsi:0": period must be 1…500'],
      ['studies=foo', 'query.studies: "foo": unknown study'],
      ['', 'query.studies: required'],
    ])('%s → 400', async (studies, message) => {
      const { status, body } = await call(indicatorsRoute, `symbol=${SYMBOL}&${studies}`);
      expect(status).toBe(400);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toContain(message);
    });

    it('unknown symbol → 404', async () => {
      const { status } = await call(indicatorsRoute, `symbol=NSE:NOPE&studies=rsi`);
      expect(status).toBe(404);
    });
  });
});
