/**
 * Database-heavy routes share one concurrency limit, and identical concurrent GETs share one
 * execution (docs/security.md, "Limits"). The route wrapper (lib/http/route.ts) runs every
 * handler through runHandler(); only the paths below are limited, so /api/health and the
 * rest never wait behind them.
 *
 * - Limit: HEAVY_MAX (4) handlers at once, HEAVY_QUEUE (16) waiting; past that a 429
 *   `too_many_requests` with `Retry-After: 1`.
 * - Coalescing: a GET on a heavy path whose method + path + sorted query equals one in flight
 *   gets the same result (a Response result is cloned per caller) and takes no extra slot.
 * - Self-limited paths (SELF_LIMITED_PATHS: /api/candles): neither limited nor coalesced here;
 *   the handler takes a slot itself, only around its database work (`runHeavy`), and coalesces
 *   that work itself (lib/api/candles/response-cache.ts), so reads served from the worker's
 *   memory and the candle caches never queue, get a 429 or pay for a cloned Response (issue 12
 *   point 3: ≥ 1,000 req/s), while long database ranges still share the limit.
 *
 * The state lives in the global symbol registry: Next may load this module once per route bundle.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';
import { ConcurrencyLimit } from './concurrency';

/** Path prefixes of the database-heavy routes. */
export const HEAVY_PATHS: readonly string[] = ['/api/candles', '/api/intraday/', '/api/scanner', '/api/gaps', '/api/completeness', '/api/instruments'];

/** Heavy paths whose handlers take the limit themselves around database work (`runHeavy`). */
export const SELF_LIMITED_PATHS: readonly string[] = ['/api/candles'];

export const HEAVY_MAX = 4;
export const HEAVY_QUEUE = 16;

interface HeavyState {
  limit: ConcurrencyLimit;
  inFlight: Map<string, Promise<unknown>>;
}

const SLOT = 'marketdesk.heavy-routes';

/**
 * The process-wide limit and in-flight map (tests may read `limit.active`), kept in the process
 * registry's slot store (lib/runtime/process-registry) so every route bundle shares one.
 */
export function heavyState(): HeavyState {
  let state = getSlot(SLOT) as HeavyState | undefined;
  if (!state) {
    state = {
      limit: new ConcurrencyLimit({ max: HEAVY_MAX, maxQueue: HEAVY_QUEUE, retryAfterSec: 1, what: 'database' }),
      inFlight: new Map(),
    };
    setSlot(SLOT, state);
  }
  return state;
}

/** Whether `pathname` is one of the heavy routes. */
export function isHeavyPath(pathname: string): boolean {
  return HEAVY_PATHS.some((prefix) => (prefix.endsWith('/') ? pathname.startsWith(prefix) : pathname === prefix || pathname.startsWith(`${prefix}/`)));
}

function coalesceKey(url: URL): string {
  const query = [...url.searchParams].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return `${url.pathname}?${new URLSearchParams(query).toString()}`;
}

const copy = <T>(result: T): T => (result instanceof Response ? (result.clone() as T) : result);

/**
 * Run a route handler under the heavy-route rules when `request` is on a heavy path.
 * @throws SaturatedError (429) when the limit and its queue are full
 */
export async function runHandler<T>(request: Request, handler: () => Promise<T>): Promise<T> {
  const url = new URL(request.url);
  if (!isHeavyPath(url.pathname)) return handler();
  const state = heavyState();
  if (SELF_LIMITED_PATHS.includes(url.pathname)) return handler();
  if (request.method !== 'GET') return state.limit.run(handler);
  const key = coalesceKey(url);
  let shared = state.inFlight.get(key) as Promise<T> | undefined;
  if (!shared) {
    shared = state.limit.run(handler);
    state.inFlight.set(key, shared);
    const clear = () => {
      if (state.inFlight.get(key) === shared) state.inFlight.delete(key);
    };
    shared.then(clear, clear);
  }
  // Every caller gets a copy of a Response (its body is read once); the original stays unread.
  return copy(await shared);
}

/**
 * Run database work of a self-limited route (SELF_LIMITED_PATHS) under the shared heavy limit.
 * @throws SaturatedError (429) when the limit and its queue are full
 */
export function runHeavy<T>(work: () => Promise<T>): Promise<T> {
  return heavyState().limit.run(work);
}
