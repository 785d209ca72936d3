/**
 * The web side's process registry: the ONE process-wide value of this codebase.
 *
 * What: the database the route handlers use and where the worker is (`WebRuntime`).
 * Who sets it: the process entry, once, before Next.js starts:
 *   - worker/host.ts (`npm start`): the embedded (or DATABASE_URL) database it shares with its
 *     in-process worker, and the worker's ports;
 *   - lib/runtime/web-server.ts (`npm run web`): a postgres.js pool to DATABASE_URL and the
 *     stand-alone worker's URL (WORKER_URL);
 *   - tests that call route handlers directly.
 * Who reads it: lib/db/runtime.ts (getDatabase) and lib/gateway/index.ts (workerGateway), i.e.
 * route handlers and server components. This module imports no implementation (the host loads
 * it before Next.js, which must not see next/server loaded earlier).
 *
 * Why a registry at all: PGlite is one backend that one process must own, and in `npm start` the
 * Next.js route handlers run in that process but in a separate bundle, so they cannot receive
 * the handle as an argument. The value lives in @marketdesk/process-registry
 * (lib/runtime/process-registry), a package next.config.mjs keeps out of the bundle, so the
 * entry and every route bundle load the same module instance. The same slot store also holds,
 * each under its own named slot: the auth state (lib/auth), the requests already checked by the
 * Node-level guard and the heavy-route concurrency limit (lib/security). Nothing is wired
 * through globalThis.
 */
import { getSlot, setSlot } from '@marketdesk/process-registry';
import type { Database } from '@/lib/db/client';
import type { WorkerTarget } from '@/lib/gateway/types';

export interface WebRuntime {
  /** The database of this process (open; the registering entry closes it). */
  db: Database;
  /** The worker: its ports in the same process, or its HTTP API. */
  worker: WorkerTarget;
  /**
   * Socket.IO as browsers see it unless REALTIME_URL says otherwise: 'same-origin' (the host
   * serves it on the page's own origin) or the stand-alone worker's URL.
   */
  realtime: 'same-origin' | { url: string };
}

const SLOT = 'marketdesk.web-runtime';

/** Register this process's web runtime (the entry calls it once before Next.js starts; tests per file). */
export function registerWebRuntime(runtime: WebRuntime): void {
  setSlot(SLOT, runtime);
}

/** Forget the registered runtime (tests, shutdown). */
export function clearWebRuntime(): void {
  setSlot(SLOT, undefined);
}

/** The registered runtime. Throws when the app was started without an entry that registers one. */
export function webRuntime(): WebRuntime {
  const runtime = getSlot(SLOT) as WebRuntime | undefined;
  if (!runtime) {
    throw new Error(
      'No web runtime: start the app with `npm start` (embedded database and worker in one process) or `npm run web` (DATABASE_URL and WORKER_URL)',
    );
  }
  return runtime;
}
