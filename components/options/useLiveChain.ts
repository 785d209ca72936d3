'use client';
/**
 * The option chain kept live in the browser: starts from GET /api/option-chain's answer (server
 * rendered), subscribes to the chain's contracts and the underlying over Socket.IO, and rebuilds
 * the chain with lib/options/chain.ts on each batch (same IV, delta, PCR and max pain as the API;
 * time to expiry re-read from the clock, to 15:30 IST on expiry day).
 *
 * Previous close and previous OI come from the initial answer (ltp − change, oi − oiChange); a
 * tick's own `prevClose` wins when the feed carries one.
 */
import { useEffect, useMemo, useState } from 'react';
import { knownPreviousClose } from '@/lib/market/change';
import type { Tick } from '@/lib/market/tick';
import { buildChain, type LegQuote, type OptionChain } from '@/lib/options/chain';
import { timeToExpiryYears } from '@/lib/options/expiry';
import { subscribeRealtime } from '@/lib/realtime/client';

interface LiveState {
  spot: number | null;
  legs: Map<string, LegQuote>;
  /** Bumped on every applied batch (tests and flash keys). */
  version: number;
}

function initialLegs(chain: OptionChain): Map<string, LegQuote> {
  const legs = new Map<string, LegQuote>();
  for (const row of chain.rows) {
    for (const leg of [row.ce, row.pe]) {
      if (!leg) continue;
      legs.set(leg.symbol, {
        symbol: leg.symbol,
        ltp: leg.ltp,
        prevClose: leg.ltp !== null && leg.change !== null ? leg.ltp - leg.change : null,
        volume: leg.volume,
        oi: leg.oi,
        prevOi: leg.oi !== null && leg.oiChange !== null ? leg.oi - leg.oiChange : null,
      });
    }
  }
  return legs;
}

function apply(state: LiveState, ticks: Tick[], spotSymbol: string): LiveState {
  let spot = state.spot;
  const legs = new Map(state.legs);
  for (const tick of ticks) {
    const symbol = `${tick.exchange}:${tick.tradingsymbol}`;
    if (symbol === spotSymbol) {
      spot = tick.ltp;
      continue;
    }
    const leg = legs.get(symbol);
    if (!leg) continue;
    legs.set(symbol, { ...leg, ltp: tick.ltp, volume: tick.volume, oi: tick.oi ?? leg.oi, prevClose: knownPreviousClose(tick.prevClose) ?? leg.prevClose });
  }
  return { spot, legs, version: state.version + 1 };
}

/** The live chain for `initial`; `spotSymbol` is the underlying's "EXCHANGE:TRADINGSYMBOL". */
export function useLiveChain(initial: OptionChain, spotSymbol: string): { chain: OptionChain; version: number } {
  const [state, setState] = useState<LiveState>(() => ({ spot: initial.spot, legs: initialLegs(initial), version: 0 }));
  useEffect(() => {
    setState({ spot: initial.spot, legs: initialLegs(initial), version: 0 });
    const symbols = [spotSymbol, ...initialLegs(initial).keys()];
    return subscribeRealtime({ symbols, onTicks: (ticks) => setState((s) => apply(s, ticks, spotSymbol)) });
  }, [initial, spotSymbol]);

  const chain = useMemo(() => {
    if (state.version === 0) return initial;
    return buildChain({
      underlying: initial.underlying,
      expiry: initial.expiry,
      spot: state.spot,
      rate: initial.rate,
      timeToExpiryYears: timeToExpiryYears(initial.expiry, Date.now()),
      strikes: initial.rows.map((row) => ({
        strike: row.strike,
        ce: row.ce ? state.legs.get(row.ce.symbol) ?? null : null,
        pe: row.pe ? state.legs.get(row.pe.symbol) ?? null : null,
      })),
    });
  }, [initial, state]);
  return { chain, version: state.version };
}
