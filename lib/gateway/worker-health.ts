/**
 * The worker's health contract: what GET /health on the worker and `worker` in GET /api/health
 * carry (worker/runtime.ts builds it; the gateway returns it to the web app). Defined once as a
 * zod schema in lib/contracts/health.ts.
 */
export type { GapRepairHealth, WorkerHealth } from '@/lib/contracts/health';
