/**
 * GET /api/collectors/metrics → `{ collectors: [{ name, broker, state, metrics }] }`: each
 * collector's counters (ticksReceived, ticksPerSecond, reconnects, watchdogReconnects,
 * lastTickAt, lastExchangeTime, errors, malformedFrames, unknownTicks, lastError). Prometheus
 * exposition of the same is at /api/metrics.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.collectorMetrics, async () => ({
  collectors: (await workerGateway().collectors.list()).map(({ name, broker, state, metrics }) => ({ name, broker, state, metrics })),
}));
