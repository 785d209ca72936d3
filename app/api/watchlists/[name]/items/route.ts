/**
 * POST /api/watchlists/:name/items — append instruments `{ symbols: ["NSE:INFY", …] }` (already
 * listed ones are skipped). DELETE — remove them (absent ones ignored).
 * 200: { watchlist: { name, symbols } } in list order.
 * Errors: 400 invalid_request (bad or unknown symbol), 404 not_found, 409 conflict (predefined list).
 */
import { api } from '@/lib/contracts/api';
import { getDatabase } from '@/lib/db/runtime';
import { addWatchlistItems, removeWatchlistItems } from '@/lib/db/queries/watchlists';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';

export const dynamic = 'force-dynamic';

export const POST = route(api.addWatchlistItems, async ({ params: { name }, body: { symbols } }) => {
  const list = await addWatchlistItems(await getDatabase(), name, symbols);
  return { watchlist: { name: list.name, symbols: list.items.map((item) => symbolOf(item)) } };
});

export const DELETE = route(api.removeWatchlistItems, async ({ params: { name }, body: { symbols } }) => {
  const list = await removeWatchlistItems(await getDatabase(), name, symbols);
  return { watchlist: { name: list.name, symbols: list.items.map((item) => symbolOf(item)) } };
});
