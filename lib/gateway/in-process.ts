/**
 * In-process worker gateway: the single-process host (`npm start`) registers the worker's ports
 * (lib/gateway/types.ts) and the web side calls them directly, without a network hop.
 *
 * The worker's errors are AppErrors (lib/http/errors.ts) from the host's own module copies; the
 * route wrapper recognises them by their brand (isAppError), so they pass through unchanged. A
 * scanner failure that is not an AppError (the worker still starting) becomes 503 `unavailable`.
 */
import { AppError, isAppError } from '@/lib/http/errors';
import type { ScannerQuery } from '@/lib/market/scanner';
import type { WorkerGateway, WorkerPorts } from './types';

/** The gateway over the host's own worker. */
export function inProcessGateway(ports: WorkerPorts): WorkerGateway {
  return {
    kind: 'in-process',
    scanner: {
      scan: (query: ScannerQuery) =>
        Promise.resolve()
          .then(() => ports.scan(query))
          .catch((error: unknown) => {
            if (isAppError(error)) throw error;
            throw new AppError('unavailable', `scanner unavailable: ${error instanceof Error ? error.message : String(error)}`);
          }),
      reloadAlerts: async () => {
        try {
          ports.reloadAlerts();
        } catch {
          // best effort: the engine reloads every 5 s by itself
        }
      },
    },
    collectors: ports.collectors,
    health: async () => ports.health(),
    metrics: async () => ports.metrics(),
    recentCandles: async (query) => {
      try {
        return ports.recentCandles?.(query) ?? null;
      } catch {
        return null; // still starting: the database answers
      }
    },
  };
}
