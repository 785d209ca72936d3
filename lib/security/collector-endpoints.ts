/**
 * Broker endpoints are set only in the config file (MARKETDESK_CONFIG; docs/security.md, "SSRF
 * policy"): a collector created through the API (POST /api/collectors, the worker's POST
 * /collectors) may not carry `endpoint` (WebSocket) or `rest.endpoint`, so no API caller can make
 * the worker open connections to an address of its choosing. The YAML loader does not use this.
 *
 *   collectorEntrySchema.superRefine(refuseApiEndpoints).transform(toCollectorConfig)
 */
import type { z } from 'zod';

const MESSAGE = 'broker endpoints can be set only in the config file (MARKETDESK_CONFIG)';

/** zod superRefine: an issue at `endpoint` / `rest.endpoint` when present. */
export function refuseApiEndpoints(entry: { endpoint?: string; rest?: { endpoint?: string } }, ctx: z.RefinementCtx): void {
  if (entry.endpoint !== undefined) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: MESSAGE });
  if (entry.rest?.endpoint !== undefined) ctx.addIssue({ code: 'custom', path: ['rest', 'endpoint'], message: MESSAGE });
}
