/**
 * GET /api/collectors/metrics → `{ collectors: [{ name, broker, state, metrics }] }`: each
 * collector's counters (ticksReceived, ticksPerSecond, reconnects, watchdogReconnects,
 * lastTickAt, lastExchangeTime, errors, malformedFrames, unknownTicks, lastError). Prometheus
 * exposition of the same is at /api/metrics.
 */
import { collectorRoute } from '../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = collectorRoute(null, async (control) => ({
  collectors: (await control.list()).map(({ name, broker, state, metrics }) => ({ name, broker, state, metrics })),
}));
