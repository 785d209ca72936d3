/**
 * GET /api/watchlists/:name — one list (predefined or user, case-insensitive) with a quote per
 * instrument: { name, kind, category, description, source, editable, items: [{ symbol,
 * instrument_token, exchange, tradingsymbol, name, quote: { ltp, prev_close, change, change_pct,
 * volume, day_high, day_low, time } | null }], missing: [symbols unknown to the instruments master] }.
 *
 * PATCH /api/watchlists/:name — user lists: rename `{ name }` and/or reorder `{ order: [every
 * symbol once] }`. 200: { watchlist: { name, symbols } }.
 * DELETE /api/watchlists/:name — 200 { deleted: true }.
 *
 * Errors: 404 not_found; 409 conflict (predefined lists are read-only; name taken); 400
 * invalid_request (field named).
 */
import { ApiError, jsonBodyRoute } from '@/lib/api/errors';
import { updateWatchlistSchema } from '@/lib/api/desk-schemas';
import { runScan } from '@/lib/api/scanner-client';
import { loadWatchlistView } from '@/lib/api/watchlist-view';
import { getDatabase } from '@/lib/db/runtime';
import { deleteWatchlist, renameWatchlist, reorderWatchlist } from '@/lib/db/queries/watchlists';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

type Params = { name: string };

export const GET = jsonBodyRoute(null, async (_input, _request, { name }: Params) => {
  const view = await loadWatchlistView(await getDatabase(), decodeURIComponent(name), runScan);
  if (!view) throw new ApiError(404, 'not_found', `no watchlist named "${decodeURIComponent(name)}"`);
  return view;
});

export const PATCH = jsonBodyRoute(updateWatchlistSchema, async (body, _request, { name }: Params) => {
  const db = await getDatabase();
  let current = decodeURIComponent(name);
  let list = null;
  if (body.order) list = await reorderWatchlist(db, current, body.order);
  if (body.name !== undefined) {
    list = await renameWatchlist(db, current, body.name);
    current = list.name;
  }
  return { watchlist: { name: list!.name, symbols: list!.items.map((item) => symbolOf(item)) } };
});

export const DELETE = jsonBodyRoute(null, async (_input, _request, { name }: Params) => {
  await deleteWatchlist(await getDatabase(), decodeURIComponent(name));
  return { deleted: true };
});
