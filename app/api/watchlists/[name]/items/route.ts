/**
 * POST /api/watchlists/:name/items — append instruments `{ symbols: ["NSE:INFY", …] }` (already
 * listed ones are skipped). DELETE — remove them (absent ones ignored).
 * 200: { watchlist: { name, symbols } } in list order.
 * Errors: 400 invalid_request (bad or unknown symbol), 404 not_found, 409 conflict (predefined list).
 */
import { jsonBodyRoute } from '@/lib/api/errors';
import { watchlistItemsSchema } from '@/lib/api/desk-schemas';
import { getDatabase } from '@/lib/db/runtime';
import { addWatchlistItems, removeWatchlistItems } from '@/lib/db/queries/watchlists';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

type Params = { name: string };

export const POST = jsonBodyRoute(watchlistItemsSchema, async ({ symbols }, _request, { name }: Params) => {
  const list = await addWatchlistItems(await getDatabase(), decodeURIComponent(name), symbols);
  return { watchlist: { name: list.name, symbols: list.items.map((item) => symbolOf(item)) } };
});

export const DELETE = jsonBodyRoute(watchlistItemsSchema, async ({ symbols }, _request, { name }: Params) => {
  const list = await removeWatchlistItems(await getDatabase(), decodeURIComponent(name), symbols);
  return { watchlist: { name: list.name, symbols: list.items.map((item) => symbolOf(item)) } };
});
