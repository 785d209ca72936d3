/**
 * The single-process host's HTTP request listener (worker/host.ts, `npm start`): the hot read
 * `GET /api/candles` and the probe `GET /api/health` are answered before Next.js by the very same
 * routes (lib/api/candles/get.ts, lib/api/health/get.ts wrapped by route(): contract, request
 * guard, authentication, heavy-route rules and error model as in app/api/…/route.ts) through
 * lib/http/node.ts; every other request, HEAD and OPTIONS on those paths included, goes to
 * Next.js. Why: Next's request handling costs ≈ 1.1 ms of CPU per request against ≈ 0.25 ms for
 * a memory-served candle read, which capped one process near 700 candle reads/s on this 2-core
 * machine (issue 12 point 3, `npm run bench -- --only candles`, docs/operations.md); and a
 * health probe answered here does not queue in Next's pipeline behind heavy pages (point 1,
 * `npm run bench -- --only health`).
 *
 * Candle reads are paced: at most HOST_CANDLE_READS_PER_TURN (default 4) start per event-loop
 * turn (lib/http/turn-budget.ts), the rest in the following turns, so a turn stays short however
 * many clients ask at once and the health probe, which is not paced, is answered within about
 * one turn (issue 12 point 1: 200 clients reading 31 days of 1m candles without pause made a
 * turn 150–360 ms long).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getCandlesHandler } from '@/lib/api/candles/get';
import { getHealthHandler } from '@/lib/api/health/get';
import { api } from '@/lib/contracts/api';
import { logToConsole } from '@/lib/http/errors';
import { nodeRouter } from '@/lib/http/node';
import { route } from '@/lib/http/route';
import { paced, TurnBudget } from '@/lib/http/turn-budget';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * A request listener: GET /api/candles and GET /api/health answered here, the rest by `fallback`
 * (Next's request handler). `candleReadsPerTurn`: HOST_CANDLE_READS_PER_TURN (lib/config/worker-env.ts), default 4.
 */
export function hostRequestListener(fallback: Listener, options: { candleReadsPerTurn?: number } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const budget = new TurnBudget(options.candleReadsPerTurn ?? 4);
  const fast = nodeRouter(
    [
      { method: 'GET', path: '/api/candles', handler: paced(budget, route(api.getCandles, getCandlesHandler)) },
      { method: 'GET', path: '/api/health', handler: route(api.getHealth, getHealthHandler) },
    ],
    { log: logToConsole },
  );
  return (req, res) => {
    // The router matches the path itself (lib/http/node.ts) and says when it did not.
    if (req.method !== 'GET') return void fallback(req, res);
    void fast(req, res).then((served) => {
      if (!served) void fallback(req, res);
    });
  };
}
