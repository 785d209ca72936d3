/**
 * The stand-alone worker's HTTP API (worker/index.ts, WORKER_PORT): the worker's ports
 * (lib/gateway/types.ts) over HTTP, for the web app's HTTP gateway (lib/gateway/http.ts) and for
 * probes. Socket.IO shares the server (/socket.io).
 *
 *   GET  /health          → 200 WorkerHealth when ok, else 503 with the same body ("starting" before the worker runs)
 *   GET  /metrics         → Prometheus text exposition
 *   GET  /scanner?…       → ScannerResult (worker/scanner/http.ts: the GET /api/scanner contract; 400 naming the field; 503 while starting)
 *   POST /alerts/reload   → 204: reload alert definitions now
 *   GET  /candles/recent?token&timeframe&from&to → RecentCandles (epoch ms; 400 on a bad query; 503 while starting)
 *   /collectors…          → worker/collectors/http-api.ts
 * Anything else: 404 `{ error: { code: 'not_found', message } }`.
 *
 * Authentication (docs/security.md): with `apiKey` set, every path but /health requires
 * `Authorization: Bearer <apiKey>` (lib/auth/worker-api-key.ts, derived from the session secret
 * so the web app holds the same key); otherwise 401 `unauthorized`. /health stays open for
 * liveness probes (docker-compose's healthcheck). `apiKey: null` (tests of the bare handler
 * only) checks nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { WorkerPorts } from '@/lib/gateway';
import { z } from 'zod';
import { TIMEFRAMES } from '@/lib/market/timeframes';
import { hasWorkerApiKey } from '@/lib/auth/worker-api-key';

const recentCandlesQuerySchema = z.object({
  token: z.coerce.number().int(),
  timeframe: z.enum(TIMEFRAMES),
  from: z.coerce.number().int(),
  to: z.coerce.number().int(),
});
import { serveCollectors } from './collectors/http-api';
import { handleScannerRequest } from './scanner/http';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A Node request listener serving `ports`; every path but /health needs `apiKey` when it is a string. */
export function workerApiHandler(ports: WorkerPorts, logger: Logger, apiKey: string | null): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://worker');
    const pathname = url.pathname;
    if (pathname === '/health') {
      const health = ports.health();
      json(res, health.ok ? 200 : 503, health);
      return;
    }
    if (apiKey !== null && !hasWorkerApiKey(req.headers.authorization, apiKey)) {
      res.setHeader('www-authenticate', 'Bearer');
      json(res, 401, { error: { code: 'unauthorized', message: 'The worker API needs the web app’s key (Authorization: Bearer …; docs/security.md)' } });
      return;
    }
    if (pathname === '/metrics') {
      void ports.metrics().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'metrics failed');
          json(res, 500, { error: { code: 'internal', message: 'Internal server error' } });
        },
      );
      return;
    }
    if (pathname === '/scanner') {
      void handleScannerRequest({ scan: (query) => ports.scan(query) }, req, res, logger);
      return;
    }
    if (pathname === '/candles/recent' && req.method === 'GET') {
      // The worker's candle memory for GET /api/candles (issue 12 point 3; lib/gateway/http.ts).
      const parsed = recentCandlesQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        json(res, 400, { error: { code: 'invalid_request', message: `query.${issue.path.join('.')}: ${issue.message}` } });
        return;
      }
      const { token, timeframe, from, to } = parsed.data;
      try {
        if (!ports.recentCandles) throw new Error('recent candles are not served here');
        json(res, 200, ports.recentCandles({ instrumentToken: token, timeframe, from, to }));
      } catch (error) {
        json(res, 503, { error: { code: 'unavailable', message: error instanceof Error ? error.message : String(error) } });
      }
      return;
    }
    if (pathname === '/alerts/reload' && req.method === 'POST') {
      ports.reloadAlerts();
      res.writeHead(204).end();
      return;
    }
    if (pathname === '/collectors' || pathname.startsWith('/collectors/')) {
      void serveCollectors(req, res, ports.collectors, logger);
      return;
    }
    json(res, 404, { error: { code: 'not_found', message: 'Only /health, /metrics, /scanner, /candles/recent, /alerts/reload, /collectors and /socket.io are served here' } });
  };
}
