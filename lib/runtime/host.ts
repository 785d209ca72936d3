/**
 * The one explicit process-wide singleton: in embedded mode a single Node process (worker/host.ts)
 * owns the PGlite database and runs both Next.js and the worker. It registers the database and a
 * worker-health probe here, and the route handlers, bundled separately by Next.js but running in
 * the same process, read them back. `globalThis` is the only object both bundles share.
 */
import type { Database } from '@/lib/db/client';

/** Pipeline and feed status reported by the worker (GET /health on the worker, /api/health on the web). */
export interface WorkerHealth {
  ok: boolean;
  startedAt: string;
  feed: {
    name: string;
    state: string;
    ticksEmitted: number;
    lastTickTime: string | null;
    detail?: string;
  };
  pipeline: {
    ticksAccepted: number;
    ticksWritten: number;
    bufferDepth: number;
    writeErrors: number;
    lastFlushAt: string | null;
    candlesClosed: number;
    lateTicks: number;
  };
  realtime: { clients: number };
}

export interface HostRuntime {
  db: Database;
  workerHealth(): WorkerHealth;
}

declare global {
  var __marketdeskHost: HostRuntime | undefined;
}

/** Register the in-process host (called once by worker/host.ts before Next.js starts). */
export function setHostRuntime(runtime: HostRuntime): void {
  globalThis.__marketdeskHost = runtime;
}

/** The in-process host, or undefined when the web app runs on its own (DATABASE_URL mode). */
export function getHostRuntime(): HostRuntime | undefined {
  return globalThis.__marketdeskHost;
}
