/**
 * GET /scanner on the stand-alone worker's HTTP API (worker/gateway-server.ts; the web app's HTTP
 * gateway calls it in server mode): the contract of GET /api/scanner (lib/contracts/api.ts
 * `workerApi.scan`) on the shared route wrapper, so the query is parsed and its 400s name
 * `query.x` exactly as on the web. A scanner that cannot answer (still starting) is a 503.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { workerApi } from '@/lib/contracts/api';
import { AppError, isAppError } from '@/lib/http/errors';
import { nodeRouter, type NodeRoute } from '@/lib/http/node';
import { route, type RouteOptions } from '@/lib/http/route';
import type { ScannerAccess } from '@/lib/market/scanner';

/** The scanner route over `scanner`, for lib/http/node.ts nodeRouter. */
export function scannerRoutes(scanner: Pick<ScannerAccess, 'scan'>, options: RouteOptions = {}): NodeRoute[] {
  const handler = route(
    workerApi.scan,
    ({ query }) => {
      try {
        return scanner.scan(query);
      } catch (error) {
        if (isAppError(error)) throw error;
        throw new AppError('unavailable', `scanner unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    options,
  );
  return [{ method: workerApi.scan.method, path: workerApi.scan.path, handler }];
}

/** Answer /scanner (405 for a method other than GET); resolves false for other paths. */
export function handleScannerRequest(scanner: Pick<ScannerAccess, 'scan'>, req: IncomingMessage, res: ServerResponse, logger?: Logger): Promise<boolean> {
  const log = (error: unknown) => logger?.error({ err: error }, 'scanner endpoint failed');
  return nodeRouter(scannerRoutes(scanner, { log }), { log })(req, res);
}
