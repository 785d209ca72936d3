/**
 * GET /scanner on the stand-alone worker's HTTP server (server mode: the web app's /api/scanner
 * proxies here). Same query and response as GET /api/scanner (docs/api.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { scannerQuerySchema } from '@/lib/api/desk-schemas';
import type { ScannerAccess } from '@/lib/market/scanner';

/** Answer a GET /scanner request: 200 ScannerResult, or 400 `{ error: { code, message } }` naming the field. */
export function handleScannerRequest(scanner: ScannerAccess, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://worker');
  const parsed = scannerQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'invalid_request', message: `${issue.path.join('.') || 'query'}: ${issue.message}` } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(scanner.scan(parsed.data)));
}
