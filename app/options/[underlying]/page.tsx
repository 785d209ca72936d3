/**
 * /options/NIFTY[?expiry=YYYY-MM-DD]: the live option chain (components/options). The first
 * paint is GET /api/option-chain's answer computed on the server (lib/options/chain-query.ts);
 * the board then follows Socket.IO ticks of the chain's contracts and the underlying.
 */
import type { Metadata } from 'next';
import { OptionChainBoard } from '@/components/options/OptionChainBoard';
import { getDatabase } from '@/lib/db/runtime';
import { isAppError } from '@/lib/http/errors';
import { getOptionChain, listExpiries } from '@/lib/options/chain-query';
import { parseOptionsEnv } from '@/lib/options/config';
import { expiryInstant } from '@/lib/options/expiry';
import { underlyingSource } from '@/lib/options/underlyings';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ underlying: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const UNDERLYINGS = ['NIFTY', 'BANKNIFTY'];

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).underlying).toUpperCase()} options` };
}

export default async function OptionChainPage({ params, searchParams }: Props) {
  const underlying = decodeURIComponent((await params).underlying).toUpperCase();
  const query = await searchParams;
  const expiry = typeof query.expiry === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.expiry) ? query.expiry : undefined;
  const source = underlyingSource(underlying);
  try {
    const db = await getDatabase();
    const chain = await getOptionChain(db, { underlying, expiry, rate: parseOptionsEnv().OPTION_RISK_FREE_RATE });
    const now = Date.now();
    const expiries = (await listExpiries(db, source.exchange, underlying)).filter((e) => expiryInstant(e) > now || e === chain.expiry).slice(0, 8);
    return (
      <OptionChainBoard
        initial={chain}
        spotSymbol={`${source.spot.exchange}:${source.spot.tradingsymbol}`}
        expiries={expiries}
        underlyings={UNDERLYINGS.includes(underlying) ? UNDERLYINGS : [...UNDERLYINGS, underlying]}
      />
    );
  } catch (error) {
    if (!isAppError(error)) console.error('[options] loading the chain failed', error);
    const message = isAppError(error) ? error.message : 'The option chain is unavailable (database unreachable).';
    return (
      <div className="space-y-2">
        <h1 className="text-lg font-semibold">{underlying} option chain</h1>
        <p className="text-desk-muted" role="status">
          {message}
        </p>
      </div>
    );
  }
}
