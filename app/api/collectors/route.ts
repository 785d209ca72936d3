/**
 * GET /api/collectors → `{ collectors: CollectorSnapshot[] }` (state, budget, connections,
 * metrics; worker/collectors/types.ts).
 * POST /api/collectors → 201 `{ collector }`: create (and with autoStart, start) a collector;
 * body = one entry of the YAML config (docs/brokers.md; durations in seconds). 400 naming the
 * field, 409 name taken, 422 past the API key's connection cap.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.listCollectors, async () => ({ collectors: await workerGateway().collectors.list() }));

export const POST = route(api.createCollector, async ({ body }) => ({ collector: await workerGateway().collectors.create(body) }));
