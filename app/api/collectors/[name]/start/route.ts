/** POST /api/collectors/:name/start → `{ collector }`. 422 when the API key has no connection left. */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const POST = route(api.startCollector, async ({ params }) => ({ collector: await workerGateway().collectors.start(params.name) }));
