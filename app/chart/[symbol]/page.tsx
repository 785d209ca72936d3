/**
 * /chart/<EXCHANGE:TRADINGSYMBOL> (URL-encoded, e.g. /chart/NSE%3AINFY, /chart/NSE%3ANIFTY%2050),
 * optional ?tf=1m|5m|15m|30m|1h|1d. Looks the instrument up on the server, then hands over to the
 * client chart (history via /api/candles, live candles via Socket.IO).
 */
import type { Metadata } from 'next';
import { ChartMessage } from '@/components/chart/ChartMessage';
import { ChartPanel, type ChartPanelProps } from '@/components/chart/ChartPanel';
import { getDatabase } from '@/lib/db/runtime';
import { findInstrument } from '@/lib/db/queries/instruments';
import { getLatestQuotes } from '@/lib/db/queries/quotes';
import type { Instrument } from '@/lib/market/instrument';
import { EXCHANGES, parseSymbol, symbolOf } from '@/lib/market/tick';
import { isTimeframe, type Timeframe } from '@/lib/market/timeframes';

export const dynamic = 'force-dynamic';

interface ChartPageProps {
  params: Promise<{ symbol: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** The route segment, decoded once more if it still carries %XX escapes. */
function decodeSegment(raw: string): string {
  if (!/%[0-9a-f]{2}/i.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: ChartPageProps): Promise<Metadata> {
  const text = decodeSegment((await params).symbol);
  const parsed = parseSymbol(text);
  return { title: parsed ? `${parsed.tradingsymbol} (${parsed.exchange})` : 'Chart' };
}

export default async function ChartPage({ params, searchParams }: ChartPageProps) {
  const text = decodeSegment((await params).symbol);
  const tf = (await searchParams).tf;
  const initialTimeframe: Timeframe = typeof tf === 'string' && isTimeframe(tf) ? tf : '1m';

  const parsed = parseSymbol(text);
  if (!parsed) {
    return (
      <ChartMessage title={`“${text}” is not a symbol`}>
        Symbols look like <code className="text-desk-text">NSE:INFY</code> or{' '}
        <code className="text-desk-text">NFO:NIFTY25DECFUT</code> (exchange one of {EXCHANGES.join(', ')}). Use the search
        box above to find one.
      </ChartMessage>
    );
  }

  let instrument: Instrument | null;
  let initialQuote: ChartPanelProps['initialQuote'] = null;
  try {
    const db = await getDatabase();
    instrument = await findInstrument(db, parsed.exchange, parsed.tradingsymbol);
    if (instrument) {
      // The header's first paint: the latest stored tick and the previous session's close.
      const [quote] = await getLatestQuotes(db, { instrumentTokens: [instrument.instrumentToken] });
      if (quote) initialQuote = { ltp: quote.ltp, prevClose: quote.prevClose, time: quote.time };
    }
  } catch (error) {
    console.error('[chart] instrument lookup failed', error);
    return <ChartMessage title="Chart unavailable">The database could not be reached. Try again in a moment.</ChartMessage>;
  }
  if (!instrument) {
    return (
      <ChartMessage title={`Unknown symbol ${parsed.exchange}:${parsed.tradingsymbol}`}>
        No instrument with that symbol is known to this desk. Use the search box above to find one.
      </ChartMessage>
    );
  }

  return (
    <ChartPanel
      key={symbolOf(instrument)}
      symbol={symbolOf(instrument)}
      exchange={instrument.exchange}
      tradingsymbol={instrument.tradingsymbol}
      name={instrument.name}
      segment={instrument.segment}
      instrumentType={instrument.instrumentType}
      initialTimeframe={initialTimeframe}
      initialQuote={initialQuote}
    />
  );
}
