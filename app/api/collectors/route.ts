/**
 * GET /api/collectors → `{ collectors: CollectorSnapshot[] }` (state, budget, connections,
 * metrics; worker/collectors/types.ts).
 * POST /api/collectors → 201 `{ collector }`: create (and with autoStart, start) a collector;
 * body = one entry of the YAML config (docs/brokers.md; durations in seconds). 400 naming the
 * field, 409 name taken, 422 past the API key's connection cap.
 */
import { createCollectorBody } from '@/lib/api/collector-schemas';
import { collectorRoute } from './_lib/route';

export const dynamic = 'force-dynamic';

export const GET = collectorRoute(null, async (control) => ({ collectors: await control.list() }));

export const POST = collectorRoute(createCollectorBody, async (control, { body }) => ({ collector: await control.create(body) }), 201);
