/**
 * GET /api/collectors/:name → `{ collector: CollectorDetail }`: the snapshot plus per-instrument
 * liveness (`instrumentStatus`: symbol, mode, connection, lastTickAt, lastExchangeTime, status
 * live | waiting | never_ticked). 404 for an unknown name.
 */
import { collectorRoute } from '../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = collectorRoute(null, async (control, { name }) => ({ collector: await control.get(name) }));
