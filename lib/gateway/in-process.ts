/**
 * In-process worker gateway: the single-process host (`npm start`) registers the worker's ports
 * (lib/gateway/types.ts) and the web side calls them directly, without a network hop.
 *
 * This object is built inside the caller's bundle (lib/runtime/registry.ts builds it on each
 * lookup), so the ApiError it throws is the route bundle's own class. Errors thrown by the
 * worker's code come from the host's module copies: they are read like an HTTP error body, by
 * their `status` and `code` fields (worker/collectors/errors.ts CollectorError), in this one place.
 */
import { ApiError } from '@/lib/api/errors';
import type { ScannerQuery } from '@/lib/market/scanner';
import type { CollectorControl } from '@/lib/contracts/collector';
import type { WorkerGateway, WorkerPorts } from './types';

/** A worker error as data: `{ status, code, message }` becomes ApiError; anything else is rethrown. */
function asApiError(error: unknown): unknown {
  if (error instanceof ApiError || !(error instanceof Error)) return error;
  const { status, code } = error as Error & { status?: unknown; code?: unknown };
  if (typeof status === 'number' && typeof code === 'string') return new ApiError(status, code, error.message);
  return error;
}

async function call<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asApiError(error);
  }
}

function collectorsOf(ports: WorkerPorts): CollectorControl {
  const c = ports.collectors;
  return {
    list: () => call(() => c.list()),
    get: (name) => call(() => c.get(name)),
    create: (definition) => call(() => c.create(definition)),
    start: (name) => call(() => c.start(name)),
    stop: (name) => call(() => c.stop(name)),
    subscribe: (name, spec) => call(() => c.subscribe(name, spec)),
    unsubscribe: (name, spec) => call(() => c.unsubscribe(name, spec)),
    setAccessToken: (name, token) => call(() => c.setAccessToken(name, token)),
  };
}

/** The gateway over the host's own worker. */
export function inProcessGateway(ports: WorkerPorts): WorkerGateway {
  return {
    kind: 'in-process',
    scanner: {
      scan: (query: ScannerQuery) =>
        call(() => ports.scan(query)).catch((error: unknown) => {
          if (error instanceof ApiError) throw error;
          throw new ApiError(503, 'unavailable', `scanner unavailable: ${error instanceof Error ? error.message : String(error)}`);
        }),
      reloadAlerts: async () => {
        try {
          ports.reloadAlerts();
        } catch {
          // best effort: the engine reloads every 5 s by itself
        }
      },
    },
    collectors: collectorsOf(ports),
    health: () => call(() => ports.health()),
    metrics: () => call(() => ports.metrics()),
    recentCandles: async (query) => {
      try {
        return ports.recentCandles?.(query) ?? null;
      } catch {
        return null; // still starting: the database answers
      }
    },
  };
}
