/**
 * GET /api/candles — OHLCV candles of one instrument: the handler and its full contract are in
 * lib/api/candles/get.ts (shared with the host's fast path, worker/host-listener.ts).
 */
import { getCandlesHandler } from '@/lib/api/candles/get';
import { api } from '@/lib/contracts/api';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getCandles, getCandlesHandler);
