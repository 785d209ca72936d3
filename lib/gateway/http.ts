/**
 * HTTP worker gateway: the web app alone (`npm run web`) reaches the stand-alone worker's HTTP
 * API at WORKER_URL (worker/gateway-server.ts serves the same ports the in-process gateway
 * calls, so both answer alike):
 *   GET  /scanner?preset&timeframe&limit[&exchange][&symbols]  → ScannerResult   (2 s timeout)
 *   POST /alerts/reload                                        → 204             (best effort)
 *   GET  /health                                               → WorkerHealth    (1 s timeout; 503 body too)
 *   GET  /metrics                                              → Prometheus text (5 s timeout)
 *   GET  /candles/recent?token&timeframe&from&to               → RecentCandles   (1 s timeout; null on failure)
 *   /collectors…                                               → lib/gateway/http-collectors.ts
 * Every call carries `Authorization: Bearer <apiKey>` (lib/auth/worker-api-key.ts) when a key is
 * given; the worker answers 401 to any call but /health without it.
 * Errors: AppError 503 `unavailable` naming the worker's origin and the cause.
 */
import { z } from 'zod';
import { workerApiHeaders } from '@/lib/auth/worker-api-key';
import { AppError } from '@/lib/http/errors';
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import { httpCollectorControl } from './http-collectors';
import type { MetricsText, RecentCandles, RecentCandlesQuery, WorkerGateway } from './types';
import type { WorkerHealth } from './worker-health';

const SCANNER_TIMEOUT_MS = 2000;
const HEALTH_TIMEOUT_MS = 1000;
const METRICS_TIMEOUT_MS = 5000;

/** Minimal shape check of the worker's /health body; the rest is passed through as is. */
const workerHealthSchema = z.looseObject({
  ok: z.boolean(),
  feed: z.looseObject({ name: z.string(), state: z.string() }),
});

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return error.message.split('\n')[0].slice(0, 200);
  }
  return String(error).slice(0, 200);
}

/** The gateway over the worker at `workerUrl` (e.g. http://worker:3001), authenticated with `apiKey`. */
export function httpGateway(workerUrl: string, apiKey?: string): WorkerGateway {
  const auth = workerApiHeaders(apiKey);
  const get = (path: string, timeoutMs: number) => fetch(new URL(path, workerUrl), { headers: auth, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  return {
    kind: 'http',
    scanner: {
      async scan(query: ScannerQuery): Promise<ScannerResult> {
        const url = new URL('/scanner', workerUrl);
        url.searchParams.set('preset', query.preset);
        url.searchParams.set('timeframe', query.timeframe);
        url.searchParams.set('limit', String(query.limit));
        if (query.exchange) url.searchParams.set('exchange', query.exchange);
        if (query.symbols) url.searchParams.set('symbols', query.symbols.join(','));
        try {
          const response = await fetch(url, { headers: auth, signal: AbortSignal.timeout(SCANNER_TIMEOUT_MS), cache: 'no-store' });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return (await response.json()) as ScannerResult;
        } catch (error) {
          throw new AppError('unavailable', `scanner unavailable: worker at ${url.origin} (${error instanceof Error ? error.message : String(error)})`);
        }
      },
      async reloadAlerts(): Promise<void> {
        try {
          await fetch(new URL('/alerts/reload', workerUrl), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(SCANNER_TIMEOUT_MS), cache: 'no-store' });
        } catch {
          // best effort: the worker's alert engine reloads every 5 s by itself
        }
      },
    },
    collectors: httpCollectorControl(workerUrl, apiKey),
    async recentCandles(query: RecentCandlesQuery): Promise<RecentCandles | null> {
      const url = new URL('/candles/recent', workerUrl);
      url.searchParams.set('token', String(query.instrumentToken));
      url.searchParams.set('timeframe', query.timeframe);
      url.searchParams.set('from', String(query.from));
      url.searchParams.set('to', String(query.to));
      try {
        const response = await fetch(url, { headers: auth, signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS), cache: 'no-store' });
        return response.ok ? ((await response.json()) as RecentCandles) : null;
      } catch {
        return null; // the database answers
      }
    },
    async health(): Promise<WorkerHealth> {
      let response: Response;
      let body: unknown;
      try {
        response = await get('/health', HEALTH_TIMEOUT_MS);
        body = await response.json();
      } catch (error) {
        throw new AppError('unavailable', `worker unreachable: ${describe(error)}`);
      }
      const parsed = workerHealthSchema.safeParse(body);
      if (!parsed.success) throw new AppError('unavailable', `unexpected /health response (HTTP ${response.status})`);
      return parsed.data as unknown as WorkerHealth;
    },
    async metrics(): Promise<MetricsText> {
      try {
        const response = await get('/metrics', METRICS_TIMEOUT_MS);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return { contentType: response.headers.get('content-type') ?? 'text/plain; version=0.0.4', body: await response.text() };
      } catch (error) {
        throw new AppError('unavailable', `worker metrics unavailable: ${describe(error)}`);
      }
    },
  };
}
