/**
 * GET /api/indicators?symbol=NSE:INFY&timeframe=5m&from=<ISO>&to=<ISO>&studies=sma:20,rsi:14,macd:12:26:9
 *
 * Study series aligned with /api/candles for the same query (contract and rules:
 * lib/indicators/contract.ts; definitions: docs/desk.md "Studies"). The default window slides
 * back to the newest stored candle exactly as /api/candles does.
 *
 * Errors: 400 invalid_request naming the field (`query.studies: "rsi:0": period must be 1…500`);
 * 404 not_found (unknown symbol); 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { getDatabase } from '@/lib/db/runtime';
import { resolveCandleWindow } from '@/lib/db/queries/candles';
import { route } from '@/lib/http/route';
import { getIndicatorsEndpoint } from '@/lib/indicators/contract';
import { loadStudySeries } from '@/lib/indicators/load';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(getIndicatorsEndpoint, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query);
  const { from, to } = await resolveCandleWindow(db, instrument.instrumentToken, query);
  const studies = await loadStudySeries(db, {
    instrumentToken: instrument.instrumentToken,
    timeframe: query.timeframe,
    from,
    to,
    studies: query.studies,
  });
  return { symbol: symbolOf(instrument), timeframe: query.timeframe, from: from.toISOString(), to: to.toISOString(), studies };
});
