/**
 * GET /api/watchlists — every list: the 15 predefined ones and the user's.
 * 200: { predefined: [{ name, category: "index"|"movers"|"sector", description, source, size, dynamic }],
 *        user: [{ name, size, created_at, updated_at }] }   (`size` null for dynamic lists)
 *
 * POST /api/watchlists — create a user list. Body { name: 1–40 chars, symbols?: ["NSE:INFY", …] }.
 * 201: { watchlist: { name, symbols } }. Errors: 400 invalid_request (field named; unknown
 * symbol), 409 conflict (name taken case-insensitively, or a predefined name).
 */
import { api } from '@/lib/contracts/api';
import { getDatabase } from '@/lib/db/runtime';
import { createWatchlist, listUserWatchlists } from '@/lib/db/queries/watchlists';
import { route } from '@/lib/http/route';
import { symbolOf } from '@/lib/market/tick';
import { PREDEFINED_WATCHLISTS } from '@/lib/market/watchlists';

export const dynamic = 'force-dynamic';

export const GET = route(api.listWatchlists, async () => {
  const user = await listUserWatchlists(await getDatabase());
  return {
    predefined: PREDEFINED_WATCHLISTS.map((list) => ({
      name: list.name,
      category: list.category,
      description: list.description,
      source: list.source,
      size: list.preset ? null : list.symbols.length,
      dynamic: Boolean(list.preset),
    })),
    user: user.map((list) => ({
      name: list.name,
      size: list.itemCount,
      created_at: list.createdAt.toISOString(),
      updated_at: list.updatedAt.toISOString(),
    })),
  };
});

export const POST = route(api.createWatchlist, async ({ body: { name, symbols } }) => {
  const list = await createWatchlist(await getDatabase(), name, symbols);
  return { watchlist: { name: list.name, symbols: list.items.map((item) => symbolOf(item)) } };
});
