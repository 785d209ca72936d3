/** Client-side shapes of the watchlist JSON routes (app/api/watchlists/*). */

// The contracts the routes answer (lib/contracts/watchlist.ts, quote.ts).
export type { WatchlistQuote as WatchlistQuoteJson } from '@/lib/contracts/quote';
export type { Watchlist as WatchlistViewJson, WatchlistItem as WatchlistItemJson } from '@/lib/contracts/watchlist';

export interface WatchlistSummaryJson {
  name: string;
  category?: string;
  description?: string;
  size: number | null;
  dynamic?: boolean;
}

/** Send JSON to a desk route; resolves the body or throws an Error with the API's message. */
export async function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    // Always JSON: the API refuses mutating requests of any other type (415, docs/security.md).
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`);
  return json;
}

export const watchlistUrl = (name: string) => `/api/watchlists/${encodeURIComponent(name)}`;
