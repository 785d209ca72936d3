/**
 * The worker's /collectors endpoints (stand-alone worker, worker/gateway-server.ts; the web app's
 * HTTP gateway calls them in server mode). The same contracts, route wrapper and error model as
 * the web routes (lib/contracts/api.ts `workerApi`, lib/http), on the worker's own paths:
 *   GET  /collectors                      → { collectors: CollectorSnapshot[] }
 *   POST /collectors                      → 201 { collector }      (body: config entry)
 *   GET  /collectors/:name                → { collector: CollectorDetail }
 *   POST /collectors/:name/start | stop   → { collector }
 *   POST /collectors/:name/subscribe      → { change }             (body: { mode, symbols|tokens|watchlist })
 *   POST /collectors/:name/unsubscribe    → { change }
 *   POST /collectors/:name/token          → { collector }          (body: { accessToken })
 * Errors: { error: { code, message } } with 400 (naming `path.x` or `body.x`), 404, 405, 409,
 * 422 (subscription cap), 500 without internals.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { workerApi } from '@/lib/contracts/api';
import { AppError } from '@/lib/http/errors';
import { nodeRouter, type NodeRoute } from '@/lib/http/node';
import { route, type RouteOptions } from '@/lib/http/route';
import type { CollectorControl } from './types';

/** The collectors routes over `control`, for lib/http/node.ts nodeRouter. */
export function collectorRoutes(control: CollectorControl, options: RouteOptions = {}): NodeRoute[] {
  const api = workerApi;
  const at = <E extends { method: NodeRoute['method']; path: string }>(endpoint: E, handler: NodeRoute['handler']): NodeRoute => ({
    method: endpoint.method,
    path: endpoint.path,
    handler,
  });
  return [
    at(api.listCollectors, route(api.listCollectors, async () => ({ collectors: await control.list() }), options)),
    at(api.createCollector, route(api.createCollector, async ({ body }) => ({ collector: await control.create(body) }), options)),
    at(api.getCollector, route(api.getCollector, async ({ params }) => ({ collector: await control.get(params.name) }), options)),
    at(api.startCollector, route(api.startCollector, async ({ params }) => ({ collector: await control.start(params.name) }), options)),
    at(api.stopCollector, route(api.stopCollector, async ({ params }) => ({ collector: await control.stop(params.name) }), options)),
    at(api.subscribeCollector, route(api.subscribeCollector, async ({ params, body }) => ({ change: await control.subscribe(params.name, body) }), options)),
    at(api.unsubscribeCollector, route(api.unsubscribeCollector, async ({ params, body }) => ({ change: await control.unsubscribe(params.name, body) }), options)),
    at(api.setCollectorToken, route(api.setCollectorToken, async ({ params, body }) => ({ collector: await control.setAccessToken(params.name, body.accessToken) }), options)),
  ];
}

const routers = new WeakMap<CollectorControl, ReturnType<typeof nodeRouter>>();

/**
 * Node http adapter: answers /collectors… requests (404 `not_found` for an unknown collectors
 * path, 405 for a known one with another method); resolves false for other paths.
 */
export async function serveCollectors(req: IncomingMessage, res: ServerResponse, control: CollectorControl, logger?: Logger): Promise<boolean> {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname !== '/collectors' && !pathname.startsWith('/collectors/')) return false;
  let serve = routers.get(control);
  if (!serve) {
    const log = (error: unknown) => logger?.error({ err: error }, 'collectors endpoint failed');
    serve = nodeRouter(collectorRoutes(control, { log }), { log });
    routers.set(control, serve);
  }
  if (await serve(req, res)) return true;
  const body = new AppError('not_found', `no such endpoint ${pathname}`);
  res.writeHead(body.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { code: body.code, message: body.message } }));
  return true;
}
