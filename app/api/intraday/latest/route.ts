/**
 * GET /api/intraday/latest?symbol=NSE:INFY
 *
 * The newest closed 1m candle of an instrument.
 * 200: { "symbol", "candle": { "time": "<ISO bucket start, UTC>", "open", "high", "low", "close", "volume", "oi" } | null }
 * Errors: 400 invalid_request, 404 not_found (unknown symbol), 500 internal.
 */
import { jsonRoute } from '@/lib/api/errors';
import { requireInstrument } from '@/lib/api/require-instrument';
import { intradayQuerySchema } from '@/lib/api/storage-schemas';
import { getLatestCandle } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = jsonRoute(intradayQuerySchema, async (query) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const candle = await getLatestCandle(db, instrument.instrumentToken);
  return {
    symbol: symbolOf(instrument),
    candle: candle && {
      time: candle.bucket.toISOString(), open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, oi: candle.oi,
    },
  };
});
