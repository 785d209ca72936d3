/**
 * POST /api/watchlists/merge — `{ sources: ["NIFTY50", "My list"], into: "Combined" }`: append the
 * instruments of the source lists (predefined or user, in order, duplicates skipped) to the user
 * list `into`, created when missing. Symbols of predefined lists unknown to the instruments
 * master are skipped and listed.
 * 200: { watchlist: { name, symbols }, added: <count>, skipped: [symbols] }.
 * Errors: 400 invalid_request; 404 not_found (a source); 409 conflict (`into` is predefined).
 */
import { runScan } from '@/lib/api/scanner-client';
import { api } from '@/lib/contracts/api';
import { getDatabase } from '@/lib/db/runtime';
import { mergeWatchlists } from '@/lib/db/queries/watchlists';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const POST = route(api.mergeWatchlists, async ({ body: { sources, into } }) => {
  const { watchlist, added, skipped } = await mergeWatchlists(await getDatabase(), sources, into, runScan);
  return { watchlist: { name: watchlist.name, symbols: watchlist.items.map((item) => symbolOf(item)) }, added, skipped };
});
