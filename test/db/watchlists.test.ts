/**
 * Watchlist CRUD, reorder and merge on the embedded TimescaleDB with the real migrations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import {
  addWatchlistItems,
  createWatchlist,
  deleteWatchlist,
  getUserWatchlist,
  getWatchlistSymbols,
  listUserWatchlists,
  mergeWatchlists,
  removeWatchlistItems,
  renameWatchlist,
  reorderWatchlist,
  WatchlistError,
} from '@/lib/db/queries/watchlists';
import type { Instrument } from '@/lib/market/instrument';
import { symbolOf } from '@/lib/market/tick';
import { findPredefinedWatchlist } from '@/lib/market/watchlists';
import { NIFTY50_CONSTITUENTS, constituentToken } from '@/worker/sources/simulator/simulator-universe';
import { equity } from '../support/desk-history';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const symbolsOf = (list: { items: Instrument[] }) => list.items.map((item) => symbolOf(item));

describeEachBackend('watchlists', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  beforeAll(async () => {
    db = database.db;
    // The NIFTY 50 universe (as the simulator registers it) plus two IT names outside it.
    await upsertInstruments(db, [
      ...NIFTY50_CONSTITUENTS.map((c) => equity(constituentToken(c), c.symbol)),
      equity(3520257, 'COFORGE'),
      equity(4561409, 'MPHASIS'),
    ]);
  });

  it('creates, lists, adds, removes, renames and deletes a user list', async () => {
    const created = await createWatchlist(db, 'Momentum', ['NSE:INFY', 'NSE:TCS']);
    expect(created.name).toBe('Momentum');
    expect(symbolsOf(created)).toEqual(['NSE:INFY', 'NSE:TCS']);

    // Added at the end; an already listed symbol is not duplicated.
    const added = await addWatchlistItems(db, 'momentum', ['NSE:RELIANCE', 'NSE:INFY']);
    expect(symbolsOf(added)).toEqual(['NSE:INFY', 'NSE:TCS', 'NSE:RELIANCE']);

    const removed = await removeWatchlistItems(db, 'Momentum', ['NSE:TCS']);
    expect(symbolsOf(removed)).toEqual(['NSE:INFY', 'NSE:RELIANCE']);
    // Positions are compacted: adding again goes right after the last one.
    expect(symbolsOf(await addWatchlistItems(db, 'Momentum', ['NSE:TCS']))).toEqual(['NSE:INFY', 'NSE:RELIANCE', 'NSE:TCS']);

    const renamed = await renameWatchlist(db, 'Momentum', 'Swing');
    expect(renamed.name).toBe('Swing');
    expect(await getUserWatchlist(db, 'Momentum')).toBeNull();
    expect(await getWatchlistSymbols(db, 'SWING')).toEqual(['NSE:INFY', 'NSE:RELIANCE', 'NSE:TCS']);
    expect((await listUserWatchlists(db)).find((l) => l.name === 'Swing')?.itemCount).toBe(3);

    await deleteWatchlist(db, 'swing');
    expect(await getWatchlistSymbols(db, 'Swing')).toBeNull();
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM watchlist_items`))[0].n).toBe(0);
  });

  it('refuses duplicates (case-insensitive), predefined names, unknown symbols and unknown lists', async () => {
    await createWatchlist(db, 'Banks', ['NSE:HDFCBANK']);
    await expect(createWatchlist(db, 'BANKS')).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(createWatchlist(db, 'nifty50')).rejects.toMatchObject({ code: 'conflict' });
    await expect(createWatchlist(db, '   ')).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    await expect(addWatchlistItems(db, 'Banks', ['NSE:NOSUCH'])).rejects.toThrow(/unknown instrument NSE:NOSUCH/);
    await expect(addWatchlistItems(db, 'Nope', ['NSE:SBIN'])).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(renameWatchlist(db, 'Banks', 'IT')).rejects.toBeInstanceOf(WatchlistError);
    await expect(deleteWatchlist(db, 'NIFTY50')).rejects.toMatchObject({ code: 'conflict' });
    // Nothing changed by the failures.
    expect(await getWatchlistSymbols(db, 'Banks')).toEqual(['NSE:HDFCBANK']);
    await deleteWatchlist(db, 'Banks');
  });

  it('reorders only with an exact permutation', async () => {
    await createWatchlist(db, 'Order', ['NSE:INFY', 'NSE:TCS', 'NSE:WIPRO', 'NSE:HCLTECH']);
    const reordered = await reorderWatchlist(db, 'Order', ['NSE:WIPRO', 'NSE:INFY', 'NSE:HCLTECH', 'NSE:TCS']);
    expect(symbolsOf(reordered)).toEqual(['NSE:WIPRO', 'NSE:INFY', 'NSE:HCLTECH', 'NSE:TCS']);
    await expect(reorderWatchlist(db, 'Order', ['NSE:WIPRO', 'NSE:INFY'])).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(reorderWatchlist(db, 'Order', ['NSE:WIPRO', 'NSE:INFY', 'NSE:TCS', 'NSE:SBIN'])).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(await getWatchlistSymbols(db, 'Order')).toEqual(['NSE:WIPRO', 'NSE:INFY', 'NSE:HCLTECH', 'NSE:TCS']);
    await deleteWatchlist(db, 'Order');
  });

  it('merges a predefined and a user list into a new list, skipping duplicates and unknown symbols', async () => {
    await createWatchlist(db, 'Mine', ['NSE:RELIANCE', 'NSE:INFY']);
    const { watchlist, added, skipped } = await mergeWatchlists(db, ['Mine', 'IT'], 'Merged');
    const it = findPredefinedWatchlist('IT')!;
    const known = new Set([...NIFTY50_CONSTITUENTS.map((c) => c.symbol), 'COFORGE', 'MPHASIS']);
    const expected = ['RELIANCE', 'INFY', ...it.symbols.filter((s) => known.has(s) && s !== 'INFY')].map((s) => `NSE:${s}`);
    expect(symbolsOf(watchlist)).toEqual(expected);
    expect(added).toBe(expected.length);
    expect(skipped.sort()).toEqual(it.symbols.filter((s) => !known.has(s)).map((s) => `NSE:${s}`).sort());
    // Merging into an existing list appends only what is new.
    const again = await mergeWatchlists(db, ['Mine'], 'Merged');
    expect(again.added).toBe(0);
    await expect(mergeWatchlists(db, ['Nope'], 'Merged')).rejects.toMatchObject({ code: 'not_found' });
    await expect(mergeWatchlists(db, ['Mine'], 'NIFTY50')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('resolves predefined lists by name, static and dynamic', async () => {
    const nifty = await getWatchlistSymbols(db, 'nifty50');
    expect(nifty).toHaveLength(50);
    expect(nifty).toContain('NSE:M&M');
    expect(await getWatchlistSymbols(db, 'BANKNIFTY')).toContain('NSE:HDFCBANK');
    // No scanner in this process and no ticks stored: the dynamic list is empty, not null.
    expect(await getWatchlistSymbols(db, 'TOP_GAINERS')).toEqual([]);
    expect(await getWatchlistSymbols(db, 'NO_SUCH_LIST')).toBeNull();
  });
});
