/** Client-side shapes of the watchlist JSON routes (app/api/watchlists/*). */

export interface WatchlistQuoteJson {
  ltp: number;
  prev_close: number | null;
  change: number | null;
  change_pct: number | null;
  volume: number;
  day_high: number | null;
  day_low: number | null;
  time: string;
}

export interface WatchlistItemJson {
  symbol: string;
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  quote: WatchlistQuoteJson | null;
}

export interface WatchlistViewJson {
  name: string;
  kind: 'predefined' | 'user';
  category: 'index' | 'movers' | 'sector' | 'user';
  description: string | null;
  source: string | null;
  editable: boolean;
  items: WatchlistItemJson[];
  missing: string[];
}

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
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`);
  return json;
}

export const watchlistUrl = (name: string) => `/api/watchlists/${encodeURIComponent(name)}`;
