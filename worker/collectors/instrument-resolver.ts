/**
 * Turning a subscription request (symbols "NSE:INFY", instrument tokens or a watchlist name)
 * into instruments. Unknown symbols or tokens are an error naming them (never a silent drop);
 * the instruments master (`instruments`, filled by the Kite instruments sync or import) must
 * hold them.
 */
import type { Database } from '@/lib/db/client';
import { findInstrumentsBySymbols, findInstrumentsByTokens } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { parseSymbol, symbolOf } from '@/lib/market/tick';
import { CollectorError } from './errors';
import type { SubscriptionSpec } from './types';

export interface InstrumentResolver {
  /** Instruments of "EXCHANGE:TRADINGSYMBOL" symbols; `missing` lists the unknown ones. */
  bySymbols(symbols: readonly string[]): Promise<{ found: Instrument[]; missing: string[] }>;
  byTokens(tokens: readonly number[]): Promise<{ found: Instrument[]; missing: number[] }>;
  /** Symbols of a named watchlist; throws CollectorError when unknown or unavailable. */
  watchlist(name: string): Promise<string[]>;
}

/** Resolve a request to instruments (deduplicated). Throws CollectorError('invalid_request') naming unknown items. */
export async function resolveSpec(resolver: InstrumentResolver, spec: Omit<SubscriptionSpec, 'mode'>): Promise<Instrument[]> {
  const symbols = [...(spec.symbols ?? [])];
  if (spec.watchlist) symbols.push(...(await resolver.watchlist(spec.watchlist)));
  const bad = symbols.filter((s) => parseSymbol(s) === null);
  if (bad.length) {
    throw new CollectorError('invalid_request', `symbols: not EXCHANGE:TRADINGSYMBOL: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`);
  }
  const [bySymbol, byToken] = await Promise.all([
    symbols.length ? resolver.bySymbols(symbols) : { found: [], missing: [] },
    spec.tokens?.length ? resolver.byTokens(spec.tokens) : { found: [], missing: [] },
  ]);
  const missing = [...bySymbol.missing, ...byToken.missing.map(String)];
  if (missing.length) {
    throw new CollectorError(
      'invalid_request',
      `unknown instruments (not in the instruments master; run the instruments sync or import): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
    );
  }
  const out = new Map<number, Instrument>();
  for (const instrument of [...bySymbol.found, ...byToken.found]) out.set(instrument.instrumentToken, instrument);
  return [...out.values()];
}

/** Resolver over a fixed list (tests, and feeds that bring their own universe). */
export function listResolver(list: readonly Instrument[], watchlists: Record<string, string[]> = {}): InstrumentResolver {
  const bySymbol = new Map(list.map((i) => [symbolOf(i), i]));
  const byToken = new Map(list.map((i) => [i.instrumentToken, i]));
  return {
    async bySymbols(symbols) {
      const found: Instrument[] = [];
      const missing: string[] = [];
      for (const s of symbols) {
        const p = parseSymbol(s);
        const hit = p ? bySymbol.get(symbolOf(p)) : undefined;
        if (hit) found.push(hit);
        else missing.push(s);
      }
      return { found, missing };
    },
    async byTokens(tokens) {
      return { found: tokens.flatMap((t) => byToken.get(t) ?? []), missing: tokens.filter((t) => !byToken.has(t)) };
    },
    async watchlist(name) {
      const symbols = watchlists[name];
      if (!symbols) throw new CollectorError('invalid_request', `watchlist: unknown watchlist ${JSON.stringify(name)}`);
      return symbols;
    },
  };
}

/**
 * Resolver over the database's instruments master. Watchlists come from `watchlists` (issue 5's
 * lib/db/queries/watchlists.ts, passed in by the composition root when it exists); without it a
 * watchlist request is refused with a clear error.
 */
export function databaseResolver(db: Database, watchlists?: (name: string) => Promise<string[] | null>): InstrumentResolver {
  return {
    async bySymbols(symbols) {
      const parsed = symbols.map((s) => parseSymbol(s)!);
      const found = await findInstrumentsBySymbols(db, parsed);
      const known = new Set(found.map(symbolOf));
      return { found, missing: symbols.filter((_, i) => !known.has(symbolOf(parsed[i]))) };
    },
    async byTokens(tokens) {
      const found = await findInstrumentsByTokens(db, tokens);
      const known = new Set(found.map((i) => i.instrumentToken));
      return { found, missing: tokens.filter((t) => !known.has(t)) };
    },
    async watchlist(name) {
      if (!watchlists) {
        throw new CollectorError('invalid_request', `watchlist: watchlists are not available in this build (lib/db/queries/watchlists.ts); list symbols instead`);
      }
      const symbols = await watchlists(name);
      if (!symbols) throw new CollectorError('invalid_request', `watchlist: unknown watchlist ${JSON.stringify(name)}`);
      return symbols;
    },
  };
}
