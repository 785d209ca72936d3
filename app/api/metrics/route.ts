/**
 * GET /api/metrics: Prometheus text exposition (prom-client) of the worker's registry
 * (worker/metrics.ts): marketdesk_collector_* per collector, marketdesk_pipeline_* (ticks
 * accepted/written, buffer depth, write errors, candles closed, late ticks, last flush),
 * marketdesk_realtime_clients and process metrics, through the worker gateway (lib/gateway: the
 * host's registry in `npm start`, `${WORKER_URL}/metrics` in `npm run web`). 503 text when the
 * worker is unreachable.
 */
import { workerGateway } from '@/lib/gateway';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    const { contentType, body } = await workerGateway().metrics();
    return new Response(body, { headers: { ...headers, 'Content-Type': contentType } });
  } catch (error) {
    console.error('[api] metrics unavailable', error);
    return new Response('# worker metrics unavailable\n', { status: 503, headers: { ...headers, 'Content-Type': 'text/plain' } });
  }
}
