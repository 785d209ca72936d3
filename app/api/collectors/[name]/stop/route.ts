/** POST /api/collectors/:name/stop → `{ collector }` (subscriptions are kept for the next start). */
import { collectorRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = collectorRoute(null, async (control, { name }) => ({ collector: await control.stop(name) }));
