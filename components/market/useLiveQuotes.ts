'use client';

import { useEffect, useState } from 'react';
import { subscribeRealtime } from '@/lib/realtime/client';
import { knownPreviousClose, priceChange } from '@/lib/market/change';
import { istDayStart } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import type { ApiQuote } from '@/lib/contracts/quote';
import { quoteRowFromApi, type QuoteRow } from './types';

/** A quote row with derived change (lib/market/change.ts) and the state of its last price flash. */
export interface LiveRow extends QuoteRow {
  /** ltp − prevClose, rupees; null when the previous close is unknown. */
  change: number | null;
  /** Change in percent of prevClose; null when the previous close is unknown. */
  changePct: number | null;
  /** Direction of the last LTP move (drives the flash colour). */
  direction: 1 | -1 | 0;
  /** Bumped on every LTP move; used as a React key to restart the flash animation. */
  seq: number;
}

const EMPTY_POLL_MS = 3000;

function withChange(row: Omit<LiveRow, 'change' | 'changePct'>): LiveRow {
  return { ...row, ...priceChange(row.ltp, row.prevClose) };
}

function fromQuote(quote: QuoteRow): LiveRow {
  return withChange({ ...quote, direction: 0, seq: 0 });
}

function toMap(quotes: QuoteRow[]): Map<string, LiveRow> {
  return new Map(quotes.map((quote) => [quote.symbol, fromQuote(quote)]));
}

function applyTicks(previous: Map<string, LiveRow>, ticks: Tick[]): Map<string, LiveRow> {
  let next: Map<string, LiveRow> | undefined;
  for (const tick of ticks) {
    const symbol = `${tick.exchange}:${tick.tradingsymbol}`;
    const row = (next ?? previous).get(symbol);
    if (!row || tick.exchangeTime < row.time) continue;
    next ??= new Map(previous);
    const moved = tick.ltp !== row.ltp;
    // A tick of a later IST day makes the stored previous close stale: only the tick's counts.
    const sameDay = istDayStart(tick.exchangeTime) === istDayStart(row.time);
    next.set(
      symbol,
      withChange({
        ...row,
        ltp: tick.ltp,
        volume: tick.volume,
        time: tick.exchangeTime,
        prevClose: knownPreviousClose(tick.prevClose) ?? (sameDay ? row.prevClose : null),
        direction: moved ? (tick.ltp > row.ltp ? 1 : -1) : row.direction,
        seq: moved ? row.seq + 1 : row.seq,
      }),
    );
  }
  return next ?? previous;
}

/**
 * Live quote rows: starts from `initial` (server-rendered), polls /api/quotes while there are
 * none yet (fresh database, feed still starting), and applies Socket.IO ticks for the listed symbols.
 */
export function useLiveQuotes(initial: QuoteRow[]): Map<string, LiveRow> {
  const [rows, setRows] = useState(() => toMap(initial));
  const symbolsKey = [...rows.keys()].sort().join('\n');

  useEffect(() => {
    if (!symbolsKey) return;
    return subscribeRealtime({
      symbols: symbolsKey.split('\n'),
      onTicks: (ticks) => setRows((previous) => applyTicks(previous, ticks)),
    });
  }, [symbolsKey]);

  const empty = rows.size === 0;
  useEffect(() => {
    if (!empty) return;
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch('/api/quotes', { cache: 'no-store' });
        if (!response.ok) return;
        const body = (await response.json()) as { quotes: ApiQuote[] };
        if (!stopped && body.quotes.length) setRows(toMap(body.quotes.map(quoteRowFromApi)));
      } catch {
        // try again on the next interval
      }
    };
    void poll();
    const timer = setInterval(poll, EMPTY_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [empty]);

  return rows;
}
