/**
 * GET /api/scanner?preset=top_gainers&timeframe=1d&limit=50[&exchange=NSE][&symbols=NSE:INFY,NSE:TCS]
 *
 * Ranked scanner rows (worker/scanner; signals and score in docs/desk.md). Embedded mode reads
 * the in-process scanner; server mode proxies to the worker's GET /scanner (WORKER_URL).
 *
 * 200: { preset, timeframe, asOf: <epoch ms>, universe: <instruments followed>, rows: ScannerRow[] }
 * (lib/market/scanner.ts; prices rupees, percentages in percent, times epoch ms UTC).
 * Errors: 400 invalid_request naming the field; 503 unavailable (worker unreachable); 500 internal.
 */
import { runScan } from '@/lib/api/scanner-client';
import { api } from '@/lib/contracts/api';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.scan, ({ query }) => runScan(query));
