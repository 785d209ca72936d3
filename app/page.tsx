/**
 * Home page: the live market board. Initial rows come from the database on the server
 * (latest stored quote per instrument, with the previous session's close, so change, breadth and
 * heat map are against the previous close from the first paint); the client component then
 * follows Socket.IO ticks.
 */
import { MarketBoard } from '@/components/market/MarketBoard';
import { quoteRow, type QuoteRow } from '@/components/market/types';
import { getDatabase } from '@/lib/db/runtime';
import { getLatestQuotes } from '@/lib/db/queries/quotes';

export const dynamic = 'force-dynamic';

async function loadQuotes(): Promise<{ quotes: QuoteRow[]; error: string | null }> {
  try {
    const quotes = await getLatestQuotes(await getDatabase());
    return {
      quotes: quotes.map(quoteRow),
      error: null,
    };
  } catch (error) {
    console.error('[home] loading quotes failed', error);
    return { quotes: [], error: 'Stored quotes are unavailable (database unreachable); retrying…' };
  }
}

export default async function HomePage() {
  const { quotes, error } = await loadQuotes();
  return <MarketBoard initialQuotes={quotes} loadError={error} />;
}
