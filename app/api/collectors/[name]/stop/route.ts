/** POST /api/collectors/:name/stop → `{ collector }` (subscriptions are kept for the next start). */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const POST = route(api.stopCollector, async ({ params }) => ({ collector: await workerGateway().collectors.stop(params.name) }));
