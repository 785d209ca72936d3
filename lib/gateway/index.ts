/**
 * The one place that turns a registered worker target into a gateway (lib/gateway/types.ts).
 */
import { webRuntime } from '@/lib/runtime/registry';
import { httpGateway } from './http';
import { inProcessGateway } from './in-process';
import type { WorkerGateway, WorkerTarget } from './types';

export type { MetricsText, RecentCandles, RecentCandlesQuery, WorkerGateway, WorkerPorts, WorkerTarget } from './types';
export type { GapRepairHealth, WorkerHealth } from './worker-health';

/** In-process ports → in-process gateway; a URL → HTTP gateway. */
export function createGateway(target: WorkerTarget): WorkerGateway {
  return target.kind === 'in-process' ? inProcessGateway(target.ports) : httpGateway(target.url, target.apiKey);
}

/**
 * The worker gateway of this process, as registered at start-up (lib/runtime/registry.ts).
 * Built on each call (a few closures), inside the caller's bundle. Throws when nothing registered.
 */
export function workerGateway(): WorkerGateway {
  return createGateway(webRuntime().worker);
}
