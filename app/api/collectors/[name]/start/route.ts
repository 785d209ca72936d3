/** POST /api/collectors/:name/start → `{ collector }`. 422 when the API key has no connection left. */
import { collectorRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = collectorRoute(null, async (control, { name }) => ({ collector: await control.start(name) }));
