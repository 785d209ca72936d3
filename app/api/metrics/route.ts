/**
 * GET /api/metrics: Prometheus text exposition (prom-client) of the worker's registry
 * (worker/metrics.ts): marketdesk_collector_* per collector, marketdesk_pipeline_* (ticks
 * accepted/written, buffer depth, write errors, candles closed, late ticks, last flush),
 * marketdesk_realtime_clients and process metrics. Embedded mode: the host's registry;
 * server mode: proxied from `${WORKER_URL}/metrics`. 503 text when the worker is unreachable.
 */
import { webEnv } from '@/lib/config/web-env';
import { getHostRuntime } from '@/lib/runtime/host';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    const host = getHostRuntime();
    if (host?.metrics) {
      const { contentType, body } = await host.metrics();
      return new Response(body, { headers: { ...headers, 'Content-Type': contentType } });
    }
    const response = await fetch(new URL('/metrics', webEnv().WORKER_URL), { signal: AbortSignal.timeout(5000), cache: 'no-store' });
    return new Response(await response.text(), {
      status: response.status,
      headers: { ...headers, 'Content-Type': response.headers.get('content-type') ?? 'text/plain; version=0.0.4' },
    });
  } catch (error) {
    console.error('[api] metrics unavailable', error);
    return new Response('# worker metrics unavailable\n', { status: 503, headers: { ...headers, 'Content-Type': 'text/plain' } });
  }
}
