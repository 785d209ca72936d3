/**
 * /watchlists: the 15 predefined lists and the user's lists; create and merge.
 */
import type { Metadata } from 'next';
import { WatchlistIndex } from '@/components/watchlists/WatchlistIndex';
import { getDatabase } from '@/lib/db/runtime';
import { listUserWatchlists } from '@/lib/db/queries/watchlists';
import { PREDEFINED_WATCHLISTS } from '@/lib/market/watchlists';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Watchlists' };

export default async function WatchlistsPage() {
  let user: { name: string; size: number }[] = [];
  try {
    user = (await listUserWatchlists(await getDatabase())).map((list) => ({ name: list.name, size: list.itemCount }));
  } catch (error) {
    console.error('[watchlists] loading user lists failed', error);
  }
  const predefined = PREDEFINED_WATCHLISTS.map((list) => ({
    name: list.name,
    category: list.category,
    description: list.description,
    size: list.preset ? null : list.symbols.length,
    dynamic: Boolean(list.preset),
  }));
  return <WatchlistIndex predefined={predefined} user={user} />;
}
