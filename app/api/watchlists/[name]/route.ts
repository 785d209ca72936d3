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
import { runScan } from '@/lib/api/scanner-client';
import { loadWatchlistView } from '@/lib/api/watchlist-view';
import { api } from '@/lib/contracts/api';
import { getDatabase } from '@/lib/db/runtime';
import { deleteWatchlist, renameWatchlist, reorderWatchlist } from '@/lib/db/queries/watchlists';
import { AppError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const GET = route(api.getWatchlist, async ({ params: { name } }) => {
  const view = await loadWatchlistView(await getDatabase(), name, runScan);
  if (!view) throw new AppError('not_found', `no watchlist named "${name}"`);
  return view;
});

export const PATCH = route(api.updateWatchlist, async ({ params: { name }, body }) => {
  const db = await getDatabase();
  let list = body.order ? await reorderWatchlist(db, name, body.order) : null;
  if (body.name !== undefined) list = await renameWatchlist(db, name, body.name);
  // The schema requires name and/or order, so one of the two ran.
  return { watchlist: { name: list!.name, symbols: list!.items.map((item) => symbolOf(item)) } };
});

export const DELETE = route(api.deleteWatchlist, async ({ params: { name } }) => {
  await deleteWatchlist(await getDatabase(), name);
  return { deleted: true as const };
});
