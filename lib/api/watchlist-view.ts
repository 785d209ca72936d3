/**
 * The JSON shape of one watchlist for GET /api/watchlists/:name and the watchlist page: its
 * instruments in order with a quote each. One scanner query per view (`scan`: the worker
 * gateway's): a dynamic list's ranking rows double as its quotes; other lists ask for their
 * symbols' rows. Instruments without a scanner row (or every one, when the scanner is
 * unreachable) get the latest stored tick. Server-side only.
 */
import type { WatchlistQuote } from '@/lib/contracts/quote';
import type { Watchlist as WatchlistView, WatchlistItem as WatchlistItemView } from '@/lib/contracts/watchlist';
import type { Database } from '@/lib/db/client';
import { getLatestQuotes } from '@/lib/db/queries/quotes';
import { getUserWatchlist, getWatchlistSymbols, resolveSymbols, type ScanFunction } from '@/lib/db/queries/watchlists';
import type { Instrument } from '@/lib/market/instrument';
import type { ScannerPreset, ScannerRow } from '@/lib/market/scanner';
import { symbolOf } from '@/lib/market/tick';
import { DYNAMIC_WATCHLIST_SIZE, findPredefinedWatchlist, predefinedSymbols } from '@/lib/market/watchlists';

// The view, its items and their quotes are contracts (lib/contracts/watchlist.ts, quote.ts).
export type { Watchlist as WatchlistView, WatchlistItem as WatchlistItemView } from '@/lib/contracts/watchlist';
export type { WatchlistQuote } from '@/lib/contracts/quote';

function scannerQuote(row: ScannerRow): WatchlistQuote {
  return {
    ltp: row.ltp,
    prev_close: row.prevClose,
    change: row.dayChange,
    change_pct: row.dayChangePct,
    volume: row.dayVolume,
    day_high: row.dayHigh,
    day_low: row.dayLow,
    time: new Date(row.time).toISOString(),
  };
}

/** Scanner rows of `symbols` in one query, or an empty map when the scanner is unreachable. */
async function scannerQuotes(scan: ScanFunction, symbols: string[]): Promise<Map<string, WatchlistQuote>> {
  const quotes = new Map<string, WatchlistQuote>();
  if (symbols.length === 0) return quotes;
  try {
    const result = await scan({ preset: 'all', timeframe: '1d', limit: symbols.length, symbols });
    for (const row of result.rows) quotes.set(row.symbol, scannerQuote(row));
  } catch {
    // scanner unreachable: stored quotes (withStoredQuotes)
  }
  return quotes;
}

/** Fill the symbols `quotes` lacks from the latest stored ticks. */
async function withStoredQuotes(db: Database, symbols: string[], quotes: Map<string, WatchlistQuote>): Promise<Map<string, WatchlistQuote>> {
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

/**
 * A dynamic list's symbols and quotes from one ranking query; when the scanner is unreachable,
 * the stored ranking (getWatchlistSymbols without a scanner) and no scanner quotes.
 */
async function rankedList(db: Database, scan: ScanFunction, name: string, preset: ScannerPreset) {
  try {
    const result = await scan({ preset, timeframe: '1d', limit: DYNAMIC_WATCHLIST_SIZE });
    return { symbols: result.rows.map((r) => r.symbol), quotes: new Map(result.rows.map((r) => [r.symbol, scannerQuote(r)])) };
  } catch {
    return { symbols: (await getWatchlistSymbols(db, name)) ?? [], quotes: new Map<string, WatchlistQuote>() };
  }
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

/**
 * The view of a predefined or user list (case-insensitive name), or null when none has that
 * name. `scan` is the worker gateway's scanner query (lib/api/scanner-client.ts runScan); it is
 * called once. Throws only on database errors.
 */
export async function loadWatchlistView(db: Database, name: string, scan: ScanFunction): Promise<WatchlistView | null> {
  const predefined = findPredefinedWatchlist(name);
  if (predefined) {
    let symbols: string[];
    let ranked: Map<string, WatchlistQuote> | null = null;
    if (predefined.preset) {
      const list = await rankedList(db, scan, predefined.name, predefined.preset);
      symbols = list.symbols;
      ranked = list.quotes;
    } else {
      symbols = predefinedSymbols(predefined);
    }
    const { instruments, missing } = await resolveSymbols(db, symbols);
    const shown = instruments.map((i) => symbolOf(i));
    const quotes = await withStoredQuotes(db, shown, ranked ?? (await scannerQuotes(scan, shown)));
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
  const shown = list.items.map((i) => symbolOf(i));
  const quotes = await withStoredQuotes(db, shown, await scannerQuotes(scan, shown));
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
