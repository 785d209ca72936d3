/**
 * GET /api/collectors/:name → `{ collector: CollectorDetail }`: the snapshot plus per-instrument
 * liveness (`instrumentStatus`: symbol, mode, connection, lastTickAt, lastExchangeTime, status
 * live | waiting | never_ticked). 404 for an unknown name.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getCollector, async ({ params }) => ({ collector: await workerGateway().collectors.get(params.name) }));
