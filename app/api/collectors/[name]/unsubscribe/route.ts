/** POST /api/collectors/:name/unsubscribe, body `{ symbols?, tokens?, watchlist? }` → `{ change }`. */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const POST = route(api.unsubscribeCollector, async ({ params, body }) => ({ change: await workerGateway().collectors.unsubscribe(params.name, body) }));
