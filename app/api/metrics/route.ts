/**
 * GET /api/metrics: Prometheus text exposition (prom-client) of the worker's registry
 * (worker/metrics.ts): marketdesk_collector_* per collector, marketdesk_pipeline_* (ticks
 * accepted/written, buffer depth, write errors, candles closed, late ticks, last flush),
 * marketdesk_realtime_clients and process metrics, through the worker gateway (lib/gateway: the
 * host's registry in `npm start`, `${WORKER_URL}/metrics` in `npm run web`). 503 text when the
 * worker is unreachable.
 */
import { api } from '@/lib/contracts/api';
import { workerGateway } from '@/lib/gateway';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

// Prometheus scrapers expect text, so the one non-JSON answer of the API: 503 is text too.
export const GET = route(api.getMetrics, async () => {
  try {
    const { contentType, body } = await workerGateway().metrics();
    return new Response(body, { headers: { ...NO_STORE, 'Content-Type': contentType } });
  } catch (error) {
    console.error('[api] metrics unavailable', error);
    return new Response('# worker metrics unavailable\n', { status: 503, headers: { ...NO_STORE, 'Content-Type': 'text/plain' } });
  }
});
