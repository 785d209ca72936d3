/**
 * Worker health types, kept here for the modules that import them from this path. The contract
 * now lives in lib/gateway/worker-health.ts; the process registry is lib/runtime/registry.ts.
 */
export type { GapRepairHealth, WorkerHealth } from '@/lib/gateway/worker-health';
