/** POST /api/collectors/:name/unsubscribe, body `{ symbols?, tokens?, watchlist? }` → `{ change }`. */
import { unsubscribeBody } from '@/lib/api/collector-schemas';
import { collectorRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = collectorRoute(unsubscribeBody, async (control, { name, body }) => ({ change: await control.unsubscribe(name, body) }));
