/**
 * How the web app reaches the scanner: in-process when this process runs the worker (embedded
 * mode: lib/runtime/host.ts getScannerAccess), otherwise over HTTP at `${WORKER_URL}/scanner`
 * (server mode, 2 s timeout). Server-side only.
 */
import { webEnv } from '@/lib/config/web-env';
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import { getScannerAccess } from '@/lib/runtime/host';

export class ScannerUnavailableError extends Error {
  readonly httpStatus = 503;
  readonly code = 'unavailable';
}

/**
 * Run a scanner query. Throws ScannerUnavailableError (HTTP 503 through lib/api/errors.ts) when
 * no scanner runs in this process and the worker cannot be reached.
 */
export async function runScan(query: ScannerQuery): Promise<ScannerResult> {
  const access = getScannerAccess();
  if (access) return access.scan(query);
  const url = new URL('/scanner', webEnv().WORKER_URL);
  url.searchParams.set('preset', query.preset);
  url.searchParams.set('timeframe', query.timeframe);
  url.searchParams.set('limit', String(query.limit));
  if (query.exchange) url.searchParams.set('exchange', query.exchange);
  if (query.symbols) url.searchParams.set('symbols', query.symbols.join(','));
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000), cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as ScannerResult;
  } catch (error) {
    throw new ScannerUnavailableError(`scanner unavailable: worker at ${url.origin} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Ask the in-process alert engine to reload its definitions (no-op in server mode: it reloads every 5 s). */
export function reloadAlerts(): void {
  getScannerAccess()?.reloadAlerts?.();
}
