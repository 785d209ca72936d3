/**
 * /watchlists/[name]: one list (predefined or user) with live quotes.
 */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { WatchlistView } from '@/components/watchlists/WatchlistView';
import { runScan } from '@/lib/api/scanner-client';
import { loadWatchlistView } from '@/lib/api/watchlist-view';
import { getDatabase } from '@/lib/db/runtime';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function WatchlistPage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  const view = await loadWatchlistView(await getDatabase(), name, runScan);
  if (!view) notFound();
  return <WatchlistView key={view.name} initial={view} />;
}
