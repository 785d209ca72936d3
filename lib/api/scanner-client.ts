/**
 * The scanner as route handlers and server components see it: the worker gateway chosen at
 * start-up (lib/runtime/registry.ts → lib/gateway), in-process or over HTTP alike. Server-side only.
 */
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import { workerGateway } from '@/lib/gateway';

/**
 * Run a scanner query (rankings, or with `symbols` per-symbol rows). Rejects with AppError 503
 * `unavailable` (lib/http/errors.ts) when the worker's scanner cannot be reached or is starting.
 */
export function runScan(query: ScannerQuery): Promise<ScannerResult> {
  return workerGateway().scanner.scan(query);
}

/** Ask the alert engine to reload its definitions (best effort, never rejects; it also reloads every 5 s). */
export function reloadAlerts(): void {
  void workerGateway().scanner.reloadAlerts();
}
