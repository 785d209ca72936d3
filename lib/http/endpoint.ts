/**
 * An endpoint contract: method, path and the zod schemas of its params, query, body and answer,
 * plus what the OpenAPI document says about it. The same object is handed to `route()` (which
 * parses requests with it) and to the OpenAPI generator (lib/contracts/openapi.ts), so the
 * documentation cannot drift from the validation.
 */
import type { ErrorCode } from './errors';
import type { Method } from './node';
import type { RouteSpec } from './route';

export interface Endpoint extends RouteSpec {
  method: Method;
  /** OpenAPI path template: `/api/alerts/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Error codes this endpoint can answer besides 500 `internal` (documented with their status). */
  errors?: ErrorCode[];
  /** Media type of a non-JSON success answer (e.g. Prometheus text); JSON when absent. */
  contentType?: string;
}

/** Identity with literal types kept, so `route(endpoint, handler)` infers every schema. */
export function endpoint<const E extends Endpoint>(definition: E): E {
  return definition;
}
