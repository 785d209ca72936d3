/**
 * GET /api/health — the handler, wrapped by route() in app/api/health/route.ts (Next.js) and in
 * worker/host-listener.ts, which answers the probe before Next.js in `npm start` so a monitor's
 * answer never waits in Next's request pipeline behind heavy pages (issue 12 point 1).
 *
 * Readiness of the web app's dependencies, and where browsers find Socket.IO.
 *
 * 200 when the database and the worker are both ok, 503 otherwise (same body):
 * {
 *   "status": "ok" | "degraded",
 *   "database": { "ok": true, "mode": "embedded" | "server", "latencyMs": 0.4, "error"?: "…" },
 *   "worker": WorkerHealth (lib/runtime/host.ts) | { "ok": false, "error": "…" },
 *   "feed": { "name": "simulator" | null, "state": "live" | … | "unknown", "ticksEmitted": 123 | null,
 *             "lastTickTime": "<ISO UTC>" | null, "lagMs": 85 | null },
 *   "market": { "segment": "equity", "open": true, "closedReason": null },
 *   "realtimeUrl": "http://localhost:3000"
 * }
 * - database: `SELECT 1` round trip in milliseconds (`latencyMs` null when it failed, or when the
 *   embedded database thread is busy: then ok while it answered within 10 s, never queued).
 * - worker: the worker gateway's health (lib/gateway: the host's own worker in `npm start`,
 *   `${WORKER_URL}/health` with a 1 s timeout in `npm run web`).
 * - database.mode: the registered database's kind (embedded PGlite or a server).
 * - feed.lagMs: now − exchange time of the last tick.
 * - market: whether the NSE equity session (lib/market/sessions.ts `configuredSessions().equity`,
 *   MARKET_CALENDAR_EXTRA included) is open now; `closedReason` names a holiday / weekend when
 *   the day has no session. Feeds the header badge (lib/market/feed-status.ts). A calendar
 *   configuration error gives `{ "open": null, "error": "…" }` rather than failing the probe.
 * - realtimeUrl: REALTIME_URL, else this request's origin when the host serves Socket.IO itself
 *   (`npm start`), else the stand-alone worker's URL (`npm run web`: WORKER_URL).
 * Never cached.
 */
import { api } from '@/lib/contracts/api';
import { configuredSessions } from '@/lib/config/history-env';
import { webEnv } from '@/lib/config/web-env';
import { probeDatabase } from '@/lib/db/probe';
import { workerGateway, type WorkerGateway, type WorkerHealth } from '@/lib/gateway';
import { reply, type RouteInput, type RouteResult } from '@/lib/http/route';
import { webRuntime } from '@/lib/runtime/registry';

type DatabaseStatus = { ok: boolean; mode: 'embedded' | 'server'; latencyMs: number | null; error?: string };
type WorkerStatus = WorkerHealth | { ok: false; error: string };

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return error.message.split('\n')[0].slice(0, 200);
  }
  return String(error).slice(0, 200);
}

/** Never queues behind SQL on the embedded database thread (lib/db/client.ts probeDatabase). */
async function checkDatabase(): Promise<DatabaseStatus> {
  const db = webRuntime().db;
  const probe = await probeDatabase(db);
  const latencyMs = probe.latencyMs === null ? null : Math.round(probe.latencyMs * 10) / 10;
  return probe.ok ? { ok: true, mode: db.kind, latencyMs } : { ok: false, mode: db.kind, latencyMs, error: describe(new Error(probe.error)) };
}

async function checkWorker(gateway: WorkerGateway): Promise<WorkerStatus> {
  try {
    return await gateway.health();
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

function feedOf(worker: WorkerStatus) {
  if (!('feed' in worker)) {
    return { name: null, state: 'unknown', ticksEmitted: null, lastTickTime: null, lagMs: null };
  }
  const { name, state, ticksEmitted, lastTickTime } = worker.feed;
  const last = lastTickTime ? Date.parse(lastTickTime) : Number.NaN;
  return {
    name,
    state,
    ticksEmitted: ticksEmitted ?? null,
    lastTickTime: lastTickTime ?? null,
    lagMs: Number.isFinite(last) ? Math.max(0, Date.now() - last) : null,
  };
}

/** The NSE equity session right now (the header badge's "Market closed" / "Delayed"). */
function marketOf(now: number) {
  try {
    const calendar = configuredSessions().equity;
    return { segment: 'equity' as const, open: calendar.isOpen(now), closedReason: calendar.closedReason(now) };
  } catch (error) {
    return { segment: 'equity' as const, open: null, closedReason: null, error: describe(error) };
  }
}

/** The origin the browser used, honouring a reverse proxy's X-Forwarded-* headers. */
function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const first = (value: string | null) => value?.split(',')[0].trim() || undefined;
  const host = first(request.headers.get('x-forwarded-host')) ?? first(request.headers.get('host')) ?? url.host;
  const proto = first(request.headers.get('x-forwarded-proto')) ?? url.protocol.replace(/:$/, '');
  return `${proto}://${host}`;
}

/** The handler of api.getHealth (lib/contracts/api.ts): 200 or 503 with the body above. */
export async function getHealthHandler({ request }: RouteInput<typeof api.getHealth>): Promise<RouteResult<typeof api.getHealth>> {
  const env = webEnv();
  const { realtime } = webRuntime();
  const [database, worker] = await Promise.all([checkDatabase(), checkWorker(workerGateway())]);
  const ok = database.ok && worker.ok;
  const body = {
    status: ok ? ('ok' as const) : ('degraded' as const),
    database,
    worker,
    feed: feedOf(worker),
    market: marketOf(Date.now()),
    realtimeUrl: env.REALTIME_URL ?? (realtime === 'same-origin' ? requestOrigin(request) : realtime.url),
  };
  return reply(body, { status: ok ? 200 : 503 });
}
