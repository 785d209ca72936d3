/**
 * GET /api/intraday/latest?symbol=NSE:INFY
 *
 * The newest closed 1m candle of an instrument.
 * 200: { "symbol", "candle": { "time": "<ISO bucket start, UTC>", "open", "high", "low", "close", "volume", "oi" } | null }
 * Errors: 400 invalid_request, 404 not_found (unknown symbol), 500 internal.
 */
import { requireInstrument } from '@/lib/api/require-instrument';
import { api } from '@/lib/contracts/api';
import { toApiCandle } from '@/lib/contracts/candle';
import { getLatestCandle } from '@/lib/db/queries/intraday';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getLatestCandle, async ({ query }) => {
  const db = await getDatabase();
  const instrument = await requireInstrument(db, query.symbol);
  const candle = await getLatestCandle(db, instrument.instrumentToken);
  return { symbol: symbolOf(instrument), candle: candle && toApiCandle({ ...candle, provisional: undefined }) };
});
