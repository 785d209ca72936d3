/**
 * Where /api/collectors finds the collectors: the worker gateway chosen at start-up
 * (lib/runtime/registry.ts → lib/gateway): the host's own manager in `npm start`, the
 * stand-alone worker's /collectors endpoints in `npm run web`. Both reject with ApiError
 * carrying the worker's status and code (404, 409, 422 subscription cap, 503 unavailable).
 */
import { workerGateway } from '@/lib/gateway';
import type { CollectorControl } from '@/worker/collectors/types';

/** The collectors' control for this process. */
export function getCollectorControl(): CollectorControl {
  return workerGateway().collectors;
}

/**
 * Errors reach the route already mapped to ApiError by the gateway (lib/gateway/in-process.ts,
 * lib/gateway/http-collectors.ts); kept as the identity for the route wrapper until the shared
 * HTTP layer replaces it.
 */
export function asApiError(error: unknown): unknown {
  return error;
}
