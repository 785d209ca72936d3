/**
 * Watchlists: the 15 predefined lists (lib/market/watchlists.ts) and user lists persisted in
 * `watchlists` / `watchlist_items` (drizzle/0003_desk.sql).
 *
 * Names: user list names are 1–40 characters, unique case-insensitively, and may not take a
 * predefined name. Items are instruments (by instrument_token) in user order (`position`, 0-based).
 * Symbols are "EXCHANGE:TRADINGSYMBOL" everywhere at this boundary.
 *
 * Errors: WatchlistError (= AppError) with code 'not_found' (404), 'conflict' (409: name taken,
 * predefined list not editable), 'invalid_request' (400: unknown symbol, bad order).
 */
import { AppError as WatchlistError } from '@/lib/http/errors';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Instrument } from '@/lib/market/instrument';
import { DYNAMIC_WATCHLIST_SIZE, findPredefinedWatchlist, predefinedSymbols, type PredefinedWatchlist } from '@/lib/market/watchlists';
import { parseSymbol, symbolOf } from '@/lib/market/tick';
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import type { Database } from '../client';
import { instruments, watchlistItems, watchlists } from '../schema';
import { toInstrument } from './instruments';
import { getLatestQuotes } from './quotes';

/**
 * A watchlist rule broken is an AppError (lib/http/errors.ts), under the name this module's
 * callers use: the route wrapper answers its own status (404 not_found, 409 conflict, 400
 * invalid_request naming the `body.` field).
 */
export { WatchlistError };

export interface UserWatchlistSummary {
  id: number;
  name: string;
  itemCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWatchlist {
  id: number;
  name: string;
  /** Instruments in user order. */
  items: Instrument[];
  createdAt: Date;
  updatedAt: Date;
}

/** Trim and check a user list name: 1–40 characters, not a predefined name. Throws WatchlistError. */
export function checkWatchlistName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 40) throw new WatchlistError('invalid_request', 'body.name: 1–40 characters');
  // "merge" is a route (POST /api/watchlists/merge); names with "/" could not be addressed in a URL path.
  if (trimmed.toLowerCase() === 'merge' || trimmed.includes('/')) {
    throw new WatchlistError('invalid_request', `body.name: "${trimmed}" is reserved or contains "/"`);
  }
  if (findPredefinedWatchlist(trimmed)) {
    throw new WatchlistError('conflict', `"${trimmed}" is a predefined watchlist name`);
  }
  return trimmed;
}

/** All user watchlists with their item counts, by name. */
export async function listUserWatchlists(db: Database): Promise<UserWatchlistSummary[]> {
  const rows = await db.orm
    .select({
      id: watchlists.id,
      name: watchlists.name,
      createdAt: watchlists.createdAt,
      updatedAt: watchlists.updatedAt,
      itemCount: sql<number>`(SELECT count(*) FROM watchlist_items wi WHERE wi.watchlist_id = ${watchlists.id})`,
    })
    .from(watchlists)
    .orderBy(sql`upper(${watchlists.name})`);
  return rows.map((row) => ({ ...row, itemCount: Number(row.itemCount) }));
}

async function findListRow(db: Database, name: string) {
  const rows = await db.orm
    .select()
    .from(watchlists)
    .where(sql`upper(${watchlists.name}) = upper(${name.trim()})`)
    .limit(1);
  return rows[0];
}

async function requireListRow(db: Database, name: string) {
  if (findPredefinedWatchlist(name)) {
    throw new WatchlistError('conflict', `${name.trim().toUpperCase()} is predefined and cannot be changed`);
  }
  const row = await findListRow(db, name);
  if (!row) throw new WatchlistError('not_found', `no watchlist named "${name.trim()}"`);
  return row;
}

async function itemsOf(db: Database, watchlistId: number): Promise<Instrument[]> {
  const rows = await db.orm
    .select({ instrument: instruments })
    .from(watchlistItems)
    .innerJoin(instruments, eq(instruments.instrumentToken, watchlistItems.instrumentToken))
    .where(eq(watchlistItems.watchlistId, watchlistId))
    .orderBy(asc(watchlistItems.position));
  return rows.map((row) => toInstrument(row.instrument));
}

/** A user watchlist (case-insensitive name) with its instruments in order, or null. */
export async function getUserWatchlist(db: Database, name: string): Promise<UserWatchlist | null> {
  const row = await findListRow(db, name);
  if (!row) return null;
  return { id: row.id, name: row.name, items: await itemsOf(db, row.id), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/**
 * Instruments for "EXCHANGE:TRADINGSYMBOL" symbols, in the order given; symbols the instruments
 * master does not know are returned in `missing` (duplicates dropped).
 */
export async function resolveSymbols(
  db: Database,
  symbols: readonly string[],
): Promise<{ instruments: Instrument[]; missing: string[] }> {
  const wanted: { symbol: string; exchange: string; tradingsymbol: string }[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const raw of symbols) {
    const parsed = parseSymbol(raw);
    if (!parsed) {
      missing.push(raw);
      continue;
    }
    const symbol = symbolOf(parsed);
    if (seen.has(symbol)) continue;
    seen.add(symbol);
    wanted.push({ symbol, ...parsed });
  }
  if (wanted.length === 0) return { instruments: [], missing };
  const rows = await db.orm
    .select()
    .from(instruments)
    .where(inArray(instruments.tradingsymbol, [...new Set(wanted.map((w) => w.tradingsymbol))]));
  const bySymbol = new Map<string, Instrument>();
  // Several rows can share a symbol (expired contracts re-listed); keep the most recently updated.
  rows.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
  for (const row of rows) bySymbol.set(`${row.exchange}:${row.tradingsymbol}`, toInstrument(row));
  const found: Instrument[] = [];
  for (const w of wanted) {
    const instrument = bySymbol.get(w.symbol);
    if (instrument) found.push(instrument);
    else missing.push(w.symbol);
  }
  return { instruments: found, missing };
}

async function resolveOrThrow(db: Database, symbols: readonly string[]): Promise<Instrument[]> {
  const { instruments: found, missing } = await resolveSymbols(db, symbols);
  if (missing.length) throw new WatchlistError('invalid_request', `body.symbols: unknown instrument ${missing.slice(0, 5).join(', ')}`);
  return found;
}

async function touch(db: Database, id: number): Promise<void> {
  await db.orm.update(watchlists).set({ updatedAt: new Date() }).where(eq(watchlists.id, id));
}

/** Append instruments (already resolved) after the current last position, skipping ones already listed. */
async function appendTokens(db: Database, watchlistId: number, tokens: readonly number[]): Promise<number> {
  const existing = await db.orm
    .select({ token: watchlistItems.instrumentToken, position: watchlistItems.position })
    .from(watchlistItems)
    .where(eq(watchlistItems.watchlistId, watchlistId));
  const have = new Set(existing.map((row) => row.token));
  let next = existing.reduce((max, row) => Math.max(max, row.position + 1), 0);
  const fresh = [...new Set(tokens)].filter((token) => !have.has(token));
  if (fresh.length === 0) return 0;
  await db.orm
    .insert(watchlistItems)
    .values(fresh.map((token) => ({ watchlistId, instrumentToken: token, position: next++ })))
    .onConflictDoNothing();
  return fresh.length;
}

/**
 * Create a user watchlist, optionally with initial symbols (resolved through `instruments`).
 * Throws WatchlistError: conflict (name taken or predefined), invalid (name, unknown symbol).
 */
export async function createWatchlist(db: Database, name: string, symbols: readonly string[] = []): Promise<UserWatchlist> {
  const clean = checkWatchlistName(name);
  if (await findListRow(db, clean)) throw new WatchlistError('conflict', `a watchlist named "${clean}" exists`);
  const items = await resolveOrThrow(db, symbols);
  const [row] = await db.orm.insert(watchlists).values({ name: clean }).returning();
  await appendTokens(db, row.id, items.map((item) => item.instrumentToken));
  return (await getUserWatchlist(db, clean))!;
}

/** Rename a user list. Throws WatchlistError (not_found, conflict, invalid). */
export async function renameWatchlist(db: Database, name: string, newName: string): Promise<UserWatchlist> {
  const row = await requireListRow(db, name);
  const clean = checkWatchlistName(newName);
  const other = await findListRow(db, clean);
  if (other && other.id !== row.id) throw new WatchlistError('conflict', `a watchlist named "${clean}" exists`);
  await db.orm.update(watchlists).set({ name: clean, updatedAt: new Date() }).where(eq(watchlists.id, row.id));
  return (await getUserWatchlist(db, clean))!;
}

/** Delete a user list and its items. Throws WatchlistError (not_found, conflict for predefined). */
export async function deleteWatchlist(db: Database, name: string): Promise<void> {
  const row = await requireListRow(db, name);
  await db.orm.delete(watchlistItems).where(eq(watchlistItems.watchlistId, row.id));
  await db.orm.delete(watchlists).where(eq(watchlists.id, row.id));
}

/** Append symbols (already present ones are skipped). Returns the list. Throws WatchlistError. */
export async function addWatchlistItems(db: Database, name: string, symbols: readonly string[]): Promise<UserWatchlist> {
  const row = await requireListRow(db, name);
  const items = await resolveOrThrow(db, symbols);
  await appendTokens(db, row.id, items.map((item) => item.instrumentToken));
  await touch(db, row.id);
  return (await getUserWatchlist(db, row.name))!;
}

/** Remove symbols (absent ones are ignored) and close the gaps in positions. Throws WatchlistError. */
export async function removeWatchlistItems(db: Database, name: string, symbols: readonly string[]): Promise<UserWatchlist> {
  const row = await requireListRow(db, name);
  const { instruments: found } = await resolveSymbols(db, symbols);
  const tokens = found.map((item) => item.instrumentToken);
  if (tokens.length) {
    await db.orm
      .delete(watchlistItems)
      .where(and(eq(watchlistItems.watchlistId, row.id), inArray(watchlistItems.instrumentToken, tokens)));
    await writeOrder(db, row.id, (await itemsOf(db, row.id)).map((item) => item.instrumentToken));
  }
  await touch(db, row.id);
  return (await getUserWatchlist(db, row.name))!;
}

async function writeOrder(db: Database, watchlistId: number, tokens: readonly number[]): Promise<void> {
  if (tokens.length === 0) return;
  await db.query(
    `UPDATE watchlist_items w SET position = o.pos - 1
     FROM unnest($2::bigint[]) WITH ORDINALITY AS o(token, pos)
     WHERE w.watchlist_id = $1 AND w.instrument_token = o.token`,
    [watchlistId, `{${tokens.join(',')}}`],
  );
}

/**
 * Reorder a user list: `symbols` must be exactly its current symbols in the new order.
 * Throws WatchlistError invalid when it is not a permutation.
 */
export async function reorderWatchlist(db: Database, name: string, symbols: readonly string[]): Promise<UserWatchlist> {
  const row = await requireListRow(db, name);
  const current = await itemsOf(db, row.id);
  const bySymbol = new Map(current.map((item) => [symbolOf(item), item.instrumentToken]));
  const order: number[] = [];
  for (const raw of symbols) {
    const parsed = parseSymbol(raw);
    const token = parsed && bySymbol.get(symbolOf(parsed));
    if (token === undefined || token === null) throw new WatchlistError('invalid_request', `body.order: ${raw} is not in the list`);
    order.push(token);
  }
  if (new Set(order).size !== current.length || order.length !== current.length) {
    throw new WatchlistError('invalid_request', `body.order: must list each of the ${current.length} symbols exactly once`);
  }
  await writeOrder(db, row.id, order);
  await touch(db, row.id);
  return (await getUserWatchlist(db, row.name))!;
}

/**
 * Merge lists (predefined or user, in the order given) into the user list `into`: their
 * instruments are appended in order, duplicates skipped. `into` is created when it does not
 * exist. Symbols of predefined lists unknown to the instruments master are skipped and returned
 * in `skipped`. Throws WatchlistError (not_found for an unknown source, conflict for a
 * predefined target). `scan` ranks dynamic sources (getWatchlistSymbols).
 */
export async function mergeWatchlists(
  db: Database,
  sources: readonly string[],
  into: string,
  scan?: ScanFunction,
): Promise<{ watchlist: UserWatchlist; added: number; skipped: string[] }> {
  const symbols: string[] = [];
  for (const source of sources) {
    const list = await getWatchlistSymbols(db, source, scan);
    if (!list) throw new WatchlistError('not_found', `no watchlist named "${source.trim()}"`);
    symbols.push(...list);
  }
  let row = await findListRow(db, into);
  if (!row) {
    await createWatchlist(db, into);
    row = (await findListRow(db, into))!;
  } else if (findPredefinedWatchlist(into)) {
    throw new WatchlistError('conflict', `${into.trim().toUpperCase()} is predefined and cannot be changed`);
  }
  const { instruments: found, missing } = await resolveSymbols(db, symbols);
  const added = await appendTokens(db, row.id, found.map((item) => item.instrumentToken));
  await touch(db, row.id);
  return { watchlist: (await getUserWatchlist(db, row.name))!, added, skipped: missing };
}

/**
 * One scanner query (lib/market/scanner.ts), passed in by the caller: the worker's own scanner,
 * or on the web side the worker gateway's (lib/gateway). May throw or reject when unreachable.
 */
export type ScanFunction = (query: ScannerQuery) => ScannerResult | Promise<ScannerResult>;

/**
 * Dynamic list (TOP_GAINERS, TOP_LOSERS, MOST_ACTIVE) from `scan` when given and answering;
 * otherwise from the latest stored quotes, ranked by % change vs the previous session's close
 * (lib/market/change.ts; instruments without one are left out of gainers/losers) or LTP × day
 * volume (most active). Both rank by the same change_pct (against the previous close).
 */
async function dynamicSymbols(db: Database, list: PredefinedWatchlist, scan?: ScanFunction): Promise<string[]> {
  if (scan && list.preset) {
    try {
      const result = await scan({ preset: list.preset, timeframe: '1d', limit: DYNAMIC_WATCHLIST_SIZE });
      return result.rows.map((row) => row.symbol);
    } catch {
      // scanner unreachable: stored quotes below
    }
  }
  const quotes = (await getLatestQuotes(db)).filter((q) => q.volume > 0);
  const change = (q: (typeof quotes)[number]) => q.changePct ?? 0;
  let ranked: typeof quotes;
  if (list.preset === 'top_gainers') ranked = quotes.filter((q) => change(q) > 0).sort((a, b) => change(b) - change(a));
  else if (list.preset === 'top_losers') ranked = quotes.filter((q) => change(q) < 0).sort((a, b) => change(a) - change(b));
  else ranked = quotes.sort((a, b) => b.ltp * b.volume - a.ltp * a.volume);
  return ranked.slice(0, DYNAMIC_WATCHLIST_SIZE).map((q) => symbolOf(q));
}

/**
 * The "EXCHANGE:TRADINGSYMBOL" symbols of a watchlist by name (case-insensitive): a predefined
 * list (static constituents as "NSE:SYMBOL", whether or not the instruments master knows them;
 * dynamic lists computed live) or a user list (its instruments in order). Null when no list has
 * that name. `scan`: the scanner ranking dynamic lists (see dynamicSymbols). Used by the
 * collectors (issue 3), the backfill CLI (issue 4), alerts and the watchlist routes.
 */
export async function getWatchlistSymbols(db: Database, name: string, scan?: ScanFunction): Promise<string[] | null> {
  const predefined = findPredefinedWatchlist(name);
  if (predefined) return predefined.preset ? dynamicSymbols(db, predefined, scan) : predefinedSymbols(predefined);
  const list = await getUserWatchlist(db, name);
  return list ? list.items.map((item) => symbolOf(item)) : null;
}
