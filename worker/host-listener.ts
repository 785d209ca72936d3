/**
 * The single-process host's HTTP request listener (worker/host.ts, `npm start`): the hot read
 * `GET /api/candles` is answered before Next.js by the very same route (lib/api/candles/get.ts
 * wrapped by route(): contract, request guard, authentication, heavy-route rules and error model
 * as in app/api/candles/route.ts) through lib/http/node.ts; every other request, HEAD and
 * OPTIONS on that path included, goes to Next.js. Why: Next's request handling costs ≈ 1.1 ms of
 * CPU per request against ≈ 0.25 ms for a memory-served candle read, which capped one process
 * near 700 candle reads/s on this 2-core machine (issue 12 point 3, `npm run bench -- --only
 * candles`, docs/operations.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getCandlesHandler } from '@/lib/api/candles/get';
import { api } from '@/lib/contracts/api';
import { logToConsole } from '@/lib/http/errors';
import { nodeRouter } from '@/lib/http/node';
import { route } from '@/lib/http/route';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A request listener: GET /api/candles answered here, the rest by `fallback` (Next's request handler). */
export function hostRequestListener(fallback: Listener): (req: IncomingMessage, res: ServerResponse) => void {
  const fast = nodeRouter([{ method: 'GET', path: '/api/candles', handler: route(api.getCandles, getCandlesHandler) }], { log: logToConsole });
  return (req, res) => {
    // The router matches the path itself (lib/http/node.ts) and says when it did not.
    if (req.method !== 'GET') return void fallback(req, res);
    void fast(req, res).then((served) => {
      if (!served) void fallback(req, res);
    });
  };
}
