/**
 * POST /api/collectors/:name/subscribe, body `{ mode?: "ltp"|"quote"|"full" (quote), symbols?:
 * ["NSE:INFY"], tokens?: [408065], watchlist?: "NIFTY50" }` → `{ change: { added, modeChanged,
 * removed, instruments } }`. Already subscribed instruments switch to `mode`. 400 for unknown
 * instruments (named), 422 when the instruments do not fit the key's connections (Kite: 3 × 3,000):
 * nothing is subscribed then.
 */
import { subscribeBody } from '@/lib/api/collector-schemas';
import { collectorRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = collectorRoute(subscribeBody, async (control, { name, body }) => ({ change: await control.subscribe(name, body) }));
