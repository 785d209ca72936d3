/**
 * POST /api/collectors/:name/subscribe, body `{ mode?: "ltp"|"quote"|"full" (quote), symbols?:
 * ["NSE:INFY"], tokens?: [408065], watchlist?: "NIFTY50" }` → `{ change: { added, modeChanged,
 * removed, instruments } }`. Already subscribed instruments switch to `mode`. 400 for unknown
 * instruments (named), 422 when the instruments do not fit the key's connections (Kite: 3 × 3,000):
 * nothing is subscribed then.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const POST = route(api.subscribeCollector, async ({ params, body }) => ({ change: await workerGateway().collectors.subscribe(params.name, body) }));
