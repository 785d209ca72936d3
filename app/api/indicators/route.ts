/**
 * GET /api/indicators?symbol=NSE:INFY&timeframe=5m&from=<ISO>&to=<ISO>&studies=sma:20,rsi:14,macd:12:26:9
 *
 * Study series aligned with /api/candles for the same query, one point per candle it answers,
 * the worker's memory candles and the open candle included (contract and rules:
 * lib/indicators/contract.ts; definitions: docs/desk.md "Studies"). The same window as
 * /api/candles (lib/api/candles/candle-window.ts answerWindow).
 *
 * Errors: 400 invalid_request naming the field (`query.studies: "rsi:0": period must be 1…500`);
 * 404 not_found (unknown symbol); 429 when a database read finds the heavy-route limit full; 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { readCandles } from '@/lib/api/candles/candle-reader';
import { answerWindow, datedRead } from '@/lib/api/candles/candle-window';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { getIndicatorsEndpoint } from '@/lib/indicators/contract';
import { loadStudySeries } from '@/lib/indicators/load';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(getIndicatorsEndpoint, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query);
  const { from, to, recent } = await answerWindow(db, instrument.instrumentToken, query);
  const studies = await loadStudySeries(
    db,
    { instrumentToken: instrument.instrumentToken, timeframe: query.timeframe, from, to, studies: query.studies },
    async (range) => (await readCandles(db, range, datedRead(recent))).candles,
  );
  return { symbol: symbolOf(instrument), timeframe: query.timeframe, from: from.toISOString(), to: to.toISOString(), studies };
});
