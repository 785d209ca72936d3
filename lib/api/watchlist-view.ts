/**
 * The JSON shape of one watchlist for GET /api/watchlists/:name and the watchlist page: its
 * instruments in order with a quote each (scanner row when the scanner is reachable, else the
 * latest stored tick). Server-side only.
 */
import type { Database } from '@/lib/db/client';
import { getLatestQuotes } from '@/lib/db/queries/quotes';
import { getUserWatchlist, getWatchlistSymbols, resolveSymbols } from '@/lib/db/queries/watchlists';
import type { Instrument } from '@/lib/market/instrument';
import { symbolOf } from '@/lib/market/tick';
import { DYNAMIC_WATCHLIST_SIZE, findPredefinedWatchlist, predefinedSymbols } from '@/lib/market/watchlists';
import { runScan } from './scanner-client';

/**
 * Quote of a watchlist item. Prices rupees; `time` ISO UTC. `prev_close` is the previous
 * session's close (the scanner's: the feed's, else getPreviousCloses; the stored fallback:
 * getPreviousCloses) and `change` / `change_pct` are against it (lib/market/change.ts); all three
 * null when no previous close is known.
 */
export interface WatchlistQuote {
  ltp: number;
  prev_close: number | null;
  change: number | null;
  change_pct: number | null;
  volume: number;
  day_high: number | null;
  day_low: number | null;
  time: string;
}

export interface WatchlistItemView {
  symbol: string;
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  name: string | null;
  quote: WatchlistQuote | null;
}

export interface WatchlistView {
  name: string;
  kind: 'predefined' | 'user';
  category: 'index' | 'movers' | 'sector' | 'user';
  description: string | null;
  source: string | null;
  /** User lists can be edited; predefined ones cannot. */
  editable: boolean;
  items: WatchlistItemView[];
  /** Symbols of a predefined list that the instruments master does not know (not shown). */
  missing: string[];
}

async function quotesFor(db: Database, symbols: string[]): Promise<Map<string, WatchlistQuote>> {
  const quotes = new Map<string, WatchlistQuote>();
  if (symbols.length === 0) return quotes;
  try {
    const result = await runScan({ preset: 'all', timeframe: '1d', limit: symbols.length, symbols });
    for (const row of result.rows) {
      quotes.set(row.symbol, {
        ltp: row.ltp,
        prev_close: row.prevClose,
        change: row.dayChange,
        change_pct: row.dayChangePct,
        volume: row.dayVolume,
        day_high: row.dayHigh,
        day_low: row.dayLow,
        time: new Date(row.time).toISOString(),
      });
    }
  } catch {
    // scanner unreachable: stored quotes below
  }
  const wanted = new Set(symbols.filter((s) => !quotes.has(s)));
  if (wanted.size === 0) return quotes;
  for (const q of await getLatestQuotes(db)) {
    const symbol = symbolOf(q);
    if (!wanted.has(symbol)) continue;
    quotes.set(symbol, {
      ltp: q.ltp,
      prev_close: q.prevClose,
      change: q.change,
      change_pct: q.changePct,
      volume: q.volume,
      day_high: null,
      day_low: null,
      time: new Date(q.time).toISOString(),
    });
  }
  return quotes;
}

function itemView(instrument: Instrument, quotes: Map<string, WatchlistQuote>): WatchlistItemView {
  const symbol = symbolOf(instrument);
  return {
    symbol,
    instrument_token: instrument.instrumentToken,
    exchange: instrument.exchange,
    tradingsymbol: instrument.tradingsymbol,
    name: instrument.name,
    quote: quotes.get(symbol) ?? null,
  };
}

/** The view of a predefined or user list (case-insensitive name), or null when none has that name. */
export async function loadWatchlistView(db: Database, name: string): Promise<WatchlistView | null> {
  const predefined = findPredefinedWatchlist(name);
  if (predefined) {
    let symbols: string[];
    if (predefined.preset) {
      try {
        symbols = (await runScan({ preset: predefined.preset, timeframe: '1d', limit: DYNAMIC_WATCHLIST_SIZE })).rows.map((r) => r.symbol);
      } catch {
        symbols = (await getWatchlistSymbols(db, predefined.name)) ?? [];
      }
    } else {
      symbols = predefinedSymbols(predefined);
    }
    const { instruments, missing } = await resolveSymbols(db, symbols);
    const quotes = await quotesFor(db, instruments.map((i) => symbolOf(i)));
    return {
      name: predefined.name,
      kind: 'predefined',
      category: predefined.category,
      description: predefined.description,
      source: predefined.source,
      editable: false,
      items: instruments.map((i) => itemView(i, quotes)),
      missing,
    };
  }
  const list = await getUserWatchlist(db, name);
  if (!list) return null;
  const quotes = await quotesFor(db, list.items.map((i) => symbolOf(i)));
  return {
    name: list.name,
    kind: 'user',
    category: 'user',
    description: null,
    source: null,
    editable: true,
    items: list.items.map((i) => itemView(i, quotes)),
    missing: [],
  };
}
